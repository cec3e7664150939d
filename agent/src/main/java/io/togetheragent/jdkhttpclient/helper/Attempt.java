package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.retry.CallRetry;
import java.net.http.HttpResponse;

/**
 * The body handler of one attempt. It decides when the status and headers arrive: a response that will be retried
 * is drained and discarded, so only the final one ever reaches the application's own handler.
 */
final class Attempt<T> implements HttpResponse.BodyHandler<T> {
    private final CallRetry retry;
    private final HttpResponse.BodyHandler<T> application;
    /** The copy of an application's own body publisher, or null. */
    private final RecordedBody recorded;
    /** How long to wait before the next attempt; -1 when this response is the application's. */
    volatile long delayNanos = -1;

    Attempt(CallRetry retry, HttpResponse.BodyHandler<T> application, RecordedBody recorded) {
        this.retry = retry;
        this.application = application;
        this.recorded = recorded;
    }

    /** Whether this attempt's response is being discarded for a retry: whatever its body does then is no outcome. */
    boolean discarded() {
        return delayNanos >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        if (recorded != null) {
            recorded.tell(retry);
        }
        delayNanos = retry.nextDelayNanos(info.statusCode(), new JdkHeaders(info.headers()));
        if (delayNanos < 0) {
            return application.apply(info);
        }
        // When its body breaks off (a cut-off 429), the JDK fails the send: the adapter retries all the same, as
        // the attempt is discarded (issue 13).
        HttpResponse.BodySubscriber<?> discard = HttpResponse.BodySubscribers.discarding();
        return (HttpResponse.BodySubscriber<T>) discard;
    }
}
