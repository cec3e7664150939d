package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.CallRetry;
import io.togetheragent.instrumentation.CallHook;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Runs a Together call through a classic HttpClient 5 client as many times as the retry core asks. Each attempt is
 * the client's own {@code execute}, through its whole exec chain. Defined under HttpClient's loader.
 */
public final class ClassicRetry implements CallHook {
    /** Set just before the agent sends an attempt; the advice lets that one call through and clears it. */
    private static final ThreadLocal<Boolean> OWN_ATTEMPT = new ThreadLocal<>();

    @Override
    public Object call(Object client, Object... args) throws IOException {
        if (OWN_ATTEMPT.get() != null) {
            OWN_ATTEMPT.remove();
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
        HttpContext shared = Requests.shared(context, retry);
        try {
            CloseableHttpResponse response = attempt(client, target, request, shared);
            while (true) {
                CloseableHttpResponse received = response;
                long delay = retry.nextDelayNanos(received.getCode(), name -> Requests.header(received, name));
                if (delay < 0) {
                    return received;
                }
                discard(received);
                try {
                    retry.await(delay, () -> request instanceof HttpUriRequestBase
                            && ((HttpUriRequestBase) request).isCancelled());
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while waiting to retry " + request.getAuthority());
                }
                // A request cancelled during the wait fails here with HttpClient's own exception.
                response = attempt(client, target, request, shared);
            }
        } finally {
            Requests.unmark(shared);
        }
    }

    private static CloseableHttpResponse attempt(CloseableHttpClient client, HttpHost target,
                                                 ClassicHttpRequest request, HttpContext context) throws IOException {
        OWN_ATTEMPT.set(Boolean.TRUE);
        try {
            return client.execute(target, request, context);
        } finally {
            OWN_ATTEMPT.remove();
        }
    }

    /** Reads the body to its end, which returns the connection to the pool for reuse, then closes the response. */
    private static void discard(CloseableHttpResponse response) {
        try {
            EntityUtils.consume(response.getEntity());
        } catch (IOException unreadable) {
            // The connection cannot be reused; closing the response below discards it. The retry uses another.
        } finally {
            try {
                response.close();
            } catch (IOException ignored) {
                // Already released.
            }
        }
    }

    private static String whyNotReplayable(ClassicHttpRequest request) {
        HttpEntity entity = request.getEntity();
        return entity == null || entity.isRepeatable() ? null
                : "its request body is not repeatable (" + entity.getClass().getName() + ")";
    }
}
