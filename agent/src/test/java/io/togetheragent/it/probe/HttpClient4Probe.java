package io.togetheragent.it.probe;

import java.io.ByteArrayInputStream;
import org.apache.http.Header;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

/** A plain Apache HttpClient 4 application: a pooled client, {@code execute} with or without a ResponseHandler. */
public final class HttpClient4Probe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        if (p.pool > 0) {
            pool.setMaxTotal(p.pool);
            pool.setDefaultMaxPerRoute(p.pool);
        }
        try (CloseableHttpClient client = client(p, pool)) {
            p.runCalls(i -> call(client, p, i));
            System.out.println("POOL LEASED " + pool.getTotalStats().getLeased());
        }
        System.exit(0);
    }

    @SuppressWarnings("deprecation")
    private static CloseableHttpClient client(ProbeArgs p, PoolingHttpClientConnectionManager pool) {
        switch (p.variant) {
            case "minimal": return HttpClients.createMinimal(pool);
            case "legacy": return new org.apache.http.impl.client.DefaultHttpClient();
            default: return HttpClients.custom().setConnectionManager(pool).setDefaultRequestConfig(
                    org.apache.http.client.config.RequestConfig.custom().setSocketTimeout((int) p.callTimeoutMillis)
                            .build()).build();
        }
    }

    private static void call(CloseableHttpClient client, ProbeArgs p, int i) {
        HttpRequestBase request = request(p);
        HttpClientContext context = p.context ? HttpClientContext.create() : null;
        try {
            if (p.handler) {
                client.execute(request, r -> {
                    report(i, r.getStatusLine().getStatusCode(), r.getFirstHeader("x-test"),
                            EntityUtils.toByteArray(r.getEntity()));
                    return null;
                }, context);
            } else {
                try (CloseableHttpResponse r = client.execute(request, context)) {
                    Header test = r.getFirstHeader("x-test");
                    ProbeArgs.reportStream(i, r.getStatusLine().getStatusCode(), test == null ? null : test.getValue(),
                            r.getEntity() == null ? null : r.getEntity().getContent());
                }
            }
        } catch (Throwable t) {
            ProbeArgs.reportError(i, t);
        }
    }

    private static HttpRequestBase request(ProbeArgs p) {
        HttpRequestBase request;
        if (p.get) {
            request = new HttpGet(p.url);
        } else {
            HttpPost post = new HttpPost(p.url);
            post.setEntity(p.unreplayable
                    ? new InputStreamEntity(new ByteArrayInputStream(p.bodyBytes()), ContentType.APPLICATION_JSON)
                    : new StringEntity(p.body(), ContentType.APPLICATION_JSON));
            request = post;
        }
        p.headers.forEach(request::setHeader);
        return request;
    }

    private static void report(int i, int status, Header test, byte[] body) {
        ProbeArgs.reportStatus(i, status, test == null ? null : test.getValue(), body);
    }
}
