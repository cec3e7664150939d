package io.togetheragent.httpclient5;

import io.togetheragent.core.retry.RetryPolicy;

/**
 * Keeps one retry layer. HttpClient 5's default retry strategy resends 429 and 503 responses on its own (once, by
 * default), inside each of the agent's attempts, which would multiply them. For a call the agent retries, the
 * helper marks the call's {@code HttpContext} with {@link #ATTRIBUTE}; the hook on the strategy then answers "do not
 * retry" for the statuses the agent retries. The client keeps retrying I/O errors as it always did.
 */
public final class RetryLayer {
    public static final String ATTRIBUTE = "io.togetheragent.retrying";

    private RetryLayer() {}

    /** Whether the client's own strategy must not resend this response: the agent decides about it. */
    public static boolean agentDecides(Object marker, int status) {
        try {
            return marker != null && RetryPolicy.current().settings().isRetryStatus(status);
        } catch (Throwable t) {
            return false;
        }
    }
}
