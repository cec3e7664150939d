package io.togetheragent.testapp;

import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Apache HttpClient 5 with its defaults, as Spring's HttpComponentsClientHttpRequestFactory builds it: that includes
 * HttpClient's own retry strategy, which resends a 429 once when the server says when (Retry-After).
 */
final class HttpClient5ChatClient implements ChatClient {
    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(64).setMaxConnPerRoute(64).build())
            .build();

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        HttpPost post = new HttpPost(url);
        post.setHeader("Authorization", "Bearer " + apiKey);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return client.execute(post, r -> new Reply(r.getCode(), EntityUtils.toString(r.getEntity(), "UTF-8")));
    }
}
