package io.togetheragent.it.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;

/**
 * A plain Apache HttpClient 5 application, written against the 5.0 API so it runs on every 5.x: classic
 * {@code execute} (with or without a response handler), or with {@code --async} a {@code CloseableHttpAsyncClient}
 * sending {@code SimpleHttpRequest}s (or, with {@code --handler}, a request producer and a response consumer).
 * The client's own retries are disabled unless {@code --client-retries} asks for its defaults.
 */
public final class HttpClient5Probe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        if (p.async) {
            async(p);
        } else {
            classic(p);
        }
        System.exit(0);
    }

    private static void classic(ProbeArgs p) throws Exception {
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create();
        if (p.pool > 0) {
            pool.setMaxConnTotal(p.pool).setMaxConnPerRoute(p.pool);
        }
        PoolingHttpClientConnectionManager connections = pool.build();
        HttpClientBuilder builder = HttpClients.custom().setConnectionManager(connections);
        if (!p.clientRetries) {
            builder.disableAutomaticRetries();
        }
        if (p.callTimeoutMillis > 0) {
            builder.setDefaultRequestConfig(responseTimeout(p));
        }
        try (CloseableHttpClient client = "minimal".equals(p.variant) ? HttpClients.createMinimal(connections)
                : builder.build()) {
            p.runCalls(i -> classicCall(client, p, i));
            System.out.println("POOL LEASED " + connections.getTotalStats().getLeased());
        }
    }

    private static void classicCall(CloseableHttpClient client, ProbeArgs p, int i) {
        HttpUriRequestBase request = p.get ? new HttpGet(p.url) : new HttpPost(p.url);
        if (!p.get) {
            request.setEntity(p.unreplayable
                    ? new InputStreamEntity(new ByteArrayInputStream(p.bodyBytes()), ContentType.APPLICATION_JSON)
                    : new StringEntity(p.body(), ContentType.APPLICATION_JSON));
        }
        p.headers.forEach(request::setHeader);
        HttpClientContext context = p.context ? HttpClientContext.create() : null;
        try {
            if (p.handler) {
                client.execute(request, context, r -> {
                    report(i, r.getCode(), r.getFirstHeader("x-test"), EntityUtils.toByteArray(r.getEntity()));
                    return null;
                });
            } else {
                CloseableHttpResponse r = client.execute(request, context);
                try {
                    Header test = r.getFirstHeader("x-test");
                    ProbeArgs.reportStream(i, r.getCode(), test == null ? null : test.getValue(),
                            r.getEntity() == null ? null : r.getEntity().getContent());
                } finally {
                    try {
                        r.close();
                    } catch (java.io.IOException alreadyReported) {
                        // Closing a response whose body broke off fails again; the call was reported.
                    }
                }
            }
        } catch (Throwable t) {
            ProbeArgs.reportError(i, t);
        }
    }

    private static void async(ProbeArgs p) throws Exception {
        PoolingAsyncClientConnectionManagerBuilder pool = PoolingAsyncClientConnectionManagerBuilder.create();
        if (p.pool > 0) {
            pool.setMaxConnTotal(p.pool).setMaxConnPerRoute(p.pool);
        }
        PoolingAsyncClientConnectionManager connections = pool.build();
        AtomicInteger callbacks = new AtomicInteger();
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom().setConnectionManager(connections);
        if (!p.clientRetries) {
            builder.disableAutomaticRetries();
        }
        if (p.callTimeoutMillis > 0) {
            builder.setDefaultRequestConfig(responseTimeout(p));
        }
        try (CloseableHttpAsyncClient client = "minimal".equals(p.variant)
                ? HttpAsyncClients.createMinimal(connections) : builder.build()) {
            client.start();
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < p.calls; i++) {
                ProbeArgs.callStarts(i);
                Future<?> future = p.handler || p.unreplayable ? withConsumer(client, p, callbacks)
                        : simple(client, p, callbacks);
                if (p.threads == 1) {
                    await(future, p, i);
                } else {
                    started.add(future);
                }
            }
            for (int i = 0; i < started.size(); i++) {
                await(started.get(i), p, i);
            }
            // Time for any second, wrong callback to show up.
            Thread.sleep(300);
            System.out.println("CALLBACKS " + callbacks.get());
            System.out.println("POOL LEASED " + connections.getTotalStats().getLeased());
        }
    }

    private static void await(Future<?> future, ProbeArgs p, int i) throws InterruptedException {
        if (p.cancel) {
            p.intoTheWait();
            System.out.println("CANCELLED " + future.cancel(true));
            Thread.sleep(2_000);
            return;
        }
        if (p.threads == 1) {
            p.reportThreadsSleepingInTheWait();
        }
        try {
            Object result = future.get(60, TimeUnit.SECONDS);
            if (result instanceof SimpleHttpResponse) {
                SimpleHttpResponse r = (SimpleHttpResponse) result;
                byte[] body = r.getBodyBytes();
                report(i, r.getCode(), r.getFirstHeader("x-test"), body == null ? new byte[0] : body);
            } else {
                @SuppressWarnings("unchecked")
                Message<HttpResponse, byte[]> m = (Message<HttpResponse, byte[]>) result;
                report(i, m.getHead().getCode(), m.getHead().getFirstHeader("x-test"),
                        m.getBody() == null ? new byte[0] : m.getBody());
            }
        } catch (ExecutionException e) {
            ProbeArgs.reportError(i, e.getCause());
        } catch (Exception e) {
            ProbeArgs.reportError(i, e);
        }
    }

    private static Future<SimpleHttpResponse> simple(CloseableHttpAsyncClient client, ProbeArgs p,
                                                     AtomicInteger callbacks) {
        SimpleHttpRequest request = new SimpleHttpRequest(p.get ? "GET" : "POST", URI.create(p.url));
        if (!p.get) {
            request.setBody(p.body(), ContentType.APPLICATION_JSON);
        }
        p.headers.forEach(request::setHeader);
        return client.execute(request, p.context ? HttpClientContext.create() : null, counting(callbacks));
    }

    private static Future<Message<HttpResponse, byte[]>> withConsumer(CloseableHttpAsyncClient client, ProbeArgs p,
                                                                        AtomicInteger callbacks) {
        AsyncRequestBuilder request = p.get ? AsyncRequestBuilder.get(p.url) : AsyncRequestBuilder.post(p.url);
        if (!p.get) {
            AsyncEntityProducer body = new BasicAsyncEntityProducer(p.bodyBytes(), ContentType.APPLICATION_JSON);
            request.setEntity(p.unreplayable ? new OneShotProducer(body) : body);
        }
        p.headers.forEach(request::setHeader);
        return client.execute(request.build(), new BasicResponseConsumer<>(new BasicAsyncEntityConsumer()),
                p.context ? HttpClientContext.create() : null, counting(callbacks));
    }

    private static <T> FutureCallback<T> counting(AtomicInteger callbacks) {
        return new FutureCallback<T>() {
            @Override
            public void completed(T result) {
                callbacks.incrementAndGet();
            }

            @Override
            public void failed(Exception ex) {
                callbacks.incrementAndGet();
            }

            @Override
            public void cancelled() {
                callbacks.incrementAndGet();
            }
        };
    }

    private static org.apache.hc.client5.http.config.RequestConfig responseTimeout(ProbeArgs p) {
        return org.apache.hc.client5.http.config.RequestConfig.custom()
                .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(p.callTimeoutMillis)).build();
    }

    private static void report(int i, int status, Header test, byte[] body) {
        ProbeArgs.reportStatus(i, status, test == null ? null : test.getValue(), body);
    }

    /** A request body that can be produced only once, like one streamed from elsewhere. */
    static final class OneShotProducer implements AsyncEntityProducer {
        private final AsyncEntityProducer bytes;

        OneShotProducer(AsyncEntityProducer bytes) {
            this.bytes = bytes;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public void failed(Exception cause) {
            bytes.failed(cause);
        }

        @Override
        public long getContentLength() {
            return bytes.getContentLength();
        }

        @Override
        public String getContentType() {
            return bytes.getContentType();
        }

        @Override
        public String getContentEncoding() {
            return bytes.getContentEncoding();
        }

        @Override
        public boolean isChunked() {
            return bytes.isChunked();
        }

        @Override
        public Set<String> getTrailerNames() {
            return bytes.getTrailerNames();
        }

        @Override
        public int available() {
            return bytes.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            bytes.produce(channel);
        }

        @Override
        public void releaseResources() {
            bytes.releaseResources();
        }
    }
}
