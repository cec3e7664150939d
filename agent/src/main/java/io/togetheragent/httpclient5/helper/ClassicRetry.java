package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.PeekedBody;
import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.BlockingRetry;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.instrumentation.CallHook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Runs a Together call through a classic HttpClient 5 client as many times as the retry core asks. Each attempt is
 * the client's own {@code execute}, through its whole exec chain. Defined under HttpClient's loader.
 */
public final class ClassicRetry implements CallHook {
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
        return execute((CloseableHttpClient) client, (HttpHost) args[0], (ClassicHttpRequest) args[1],
                (HttpContext) args[2]);
    }

    private static CloseableHttpResponse execute(CloseableHttpClient client, HttpHost target,
                                                 ClassicHttpRequest request, HttpContext context)
            throws IOException {
        CallRetry retry = Requests.begin(target, request, whyNotReplayable(request), "the HttpClient 5 retry");
        if (retry == null) {
            return null;
        }
        HttpEntity entity = request.getEntity();
        retry.identify(name -> Requests.header(request, name),
                () -> RequestBodies.bytes(entity == null ? null : entity::writeTo,
                        entity == null ? 0 : entity.getContentLength()));
        HttpContext shared = Requests.shared(context, retry);
        Requests.repairKey(request, retry);
        Header[] headers = request.getHeaders();
        try {
            return BlockingRetry.run(retry, new BlockingRetry.Call<CloseableHttpResponse>() {
                @Override
                public CloseableHttpResponse send() throws IOException {
                    OWN_ATTEMPT.raise();
                    try {
                        return client.execute(target, request, shared);
                    } finally {
                        OWN_ATTEMPT.lower();
                    }
                }

                @Override
                public int status(CloseableHttpResponse response) {
                    return response.getCode();
                }

                @Override
                public HeaderLookup headers(CloseableHttpResponse response) {
                    return Requests.headers(response);
                }

                @Override
                public void discard(CloseableHttpResponse response) {
                    // Read to the end, the connection goes back to the pool for reuse.
                    try {
                        EntityUtils.consume(response.getEntity());
                    } catch (IOException unreadable) {
                        // The connection cannot be reused; closing the response below drops it.
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
                    return request instanceof HttpUriRequestBase && ((HttpUriRequestBase) request).isCancelled();
                }

                @Override
                public void reset() {
                    // A minimal client adds its protocol headers (Content-Length...) to the application's request
                    // itself, and refuses a request that already has them: each attempt starts from the headers the
                    // application set.
                    request.setHeaders(headers);
                }

                @Override
                public String body(CloseableHttpResponse response) {
                    // Peeked, not buffered: the application then reads the same bytes, and the same failure where
                    // the body broke off.
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
                    } catch (Exception unreadable) {
                        return null;
                    }
                }
            }, request.getAuthority());
        } finally {
            Requests.unmark(shared);
        }
    }

    private static String whyNotReplayable(ClassicHttpRequest request) {
        HttpEntity entity = request.getEntity();
        return entity == null || entity.isRepeatable() ? null
                : "its request body is not repeatable (" + entity.getClass().getName() + ")";
    }
}
