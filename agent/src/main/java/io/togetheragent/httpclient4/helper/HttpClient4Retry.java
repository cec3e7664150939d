package io.togetheragent.httpclient4.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderArray;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.PeekedBody;
import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.BlockingRetry;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.utils.URIUtils;
import org.apache.http.entity.HttpEntityWrapper;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;

/**
 * Runs a Together call through an HttpClient 4 client as many times as the retry core asks. Each attempt is the
 * client's own {@code execute}, so it passes the whole exec chain (redirects, authentication, the client's I/O
 * retries) anew. Defined under HttpClient's loader by a {@code HelperClassLoader}.
 */
public final class HttpClient4Retry implements CallHook {
    /** Set just before the agent sends an attempt; the advice lets that one call through and clears it. */
    private static final ThreadFlag OWN_ATTEMPT = new ThreadFlag();
    /** The largest 401/402/429 body the key check reads; Together's error bodies are far smaller. */
    private static final int KEY_CHECK_BODY_BYTES = 64 * 1024;

    @Override
    public Object call(Object client, Object... args) throws IOException {
        if (OWN_ATTEMPT.isRaised()) {
            OWN_ATTEMPT.lower();
            return null;
        }
        return execute((CloseableHttpClient) client, (HttpHost) args[0], (HttpRequest) args[1], (HttpContext) args[2]);
    }

    private static CloseableHttpResponse execute(CloseableHttpClient client, HttpHost target, HttpRequest request,
                                                 HttpContext context) throws IOException {
        CallRetry retry = begin(target, request);
        if (retry == null) {
            return null;
        }
        String repaired = retry.repairedAuthorization();
        if (repaired != null) {
            request.setHeader("Authorization", repaired);
        }
        return BlockingRetry.run(retry, new BlockingRetry.Call<CloseableHttpResponse>() {
            @Override
            public CloseableHttpResponse send() throws IOException {
                OWN_ATTEMPT.raise();
                try {
                    return client.execute(target, request, context);
                } finally {
                    OWN_ATTEMPT.lower();
                }
            }

            @Override
            public int status(CloseableHttpResponse response) {
                return response.getStatusLine().getStatusCode();
            }

            @Override
            public HeaderLookup headers(CloseableHttpResponse response) {
                // One copy of the list, walked once: getFirstHeader walks it for each name the core reads.
                return new HeaderArray<>(response.getAllHeaders(), Header::getName, Header::getValue);
            }

            @Override
            public void discard(CloseableHttpResponse response) {
                // Read to the end, the connection goes back to the pool for reuse; closed unread, it would be dropped.
                try {
                    EntityUtils.consume(response.getEntity());
                } catch (IOException unreadable) {
                    // The connection cannot be reused; closing the response below drops it. The retry uses another.
                } finally {
                    try {
                        response.close();
                    } catch (IOException ignored) {
                        // Already released.
                    }
                }
            }

            @Override
            public boolean cancelled() {
                return request instanceof HttpUriRequest && ((HttpUriRequest) request).isAborted();
            }

            @Override
            public void reset() {
                // Every attempt wraps the application's request anew; nothing to undo.
            }

            @Override
            public String body(CloseableHttpResponse response) {
                // Peeked, not buffered: the application then reads the same bytes, and the same failure where the
                // body broke off.
                try {
                    HttpEntity entity = response.getEntity();
                    if (entity == null || entity.getContentLength() > KEY_CHECK_BODY_BYTES) {
                        return null;
                    }
                    PeekedBody peeked = PeekedBody.read(entity.getContent(), KEY_CHECK_BODY_BYTES);
                    response.setEntity(new HttpEntityWrapper(entity) {
                        @Override
                        public InputStream getContent() {
                            return peeked.replay();
                        }

                        @Override
                        public void writeTo(OutputStream out) throws IOException {
                            peeked.writeTo(out);
                        }
                    });
                    return peeked.text();
                } catch (IOException | RuntimeException unreadable) {
                    return null;
                }
            }
        }, target);
    }

    private static CallRetry begin(HttpHost target, HttpRequest request) {
        try {
            URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI()
                    : URI.create(request.getRequestLine().getUri());
            HttpHost host = target != null ? target : URIUtils.extractHost(uri);
            if (host == null) {
                return null;
            }
            boolean https = "https".equalsIgnoreCase(host.getSchemeName());
            int port = host.getPort() != -1 ? host.getPort() : https ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // A request's getRequestLine() is built anew on each call (its URI as ASCII, the protocol's parameters).
            String method = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getMethod()
                    : request.getRequestLine().getMethod();
            CallRetry retry = RetryPolicy.current().begin(method, host.getHostName(),
                    port, path, whyNotReplayable(request), Long.MAX_VALUE, authorization(request), true);
            return retry == null ? null : retry.identify(name -> {
                Header h = request.getFirstHeader(name);
                return h == null ? null : h.getValue();
            }, () -> {
                HttpEntity entity = entity(request);
                return RequestBodies.bytes(entity == null ? null : entity::writeTo,
                        entity == null ? 0 : entity.getContentLength());
            });
        } catch (Throwable t) {
            FailOpen.report("the HttpClient 4 retry", t);
            return null;
        }
    }

    private static String authorization(HttpRequest request) {
        Header h = request.getFirstHeader("Authorization");
        return h == null ? null : h.getValue();
    }

    private static HttpEntity entity(HttpRequest request) {
        return request instanceof HttpEntityEnclosingRequest
                ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
    }

    private static String whyNotReplayable(HttpRequest request) {
        HttpEntity entity = entity(request);
        return entity == null || entity.isRepeatable() ? null
                : "its request body is not repeatable (" + entity.getClass().getName() + ")";
    }
}
