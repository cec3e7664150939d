package io.togetheragent.testapp;

import java.io.IOException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5, as older enterprise services use it: one pooled client, plain {@code execute}. */
final class HttpClient4ChatClient implements ChatClient {
    private final CloseableHttpClient client = HttpClients.custom().setMaxConnTotal(64).setMaxConnPerRoute(64).build();

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        HttpPost post = new HttpPost(url);
        post.setHeader("Authorization", "Bearer " + apiKey);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        try (CloseableHttpResponse r = client.execute(post)) {
            return new Reply(r.getStatusLine().getStatusCode(), EntityUtils.toString(r.getEntity(), "UTF-8"));
        }
    }
}
