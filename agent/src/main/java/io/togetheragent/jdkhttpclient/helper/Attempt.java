package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.CallRetry;
import java.net.http.HttpResponse;

/**
 * The body handler of one attempt. It decides when the status and headers arrive: a response that will be retried
 * is drained and discarded, so only the final one ever reaches the application's own handler.
 */
final class Attempt<T> implements HttpResponse.BodyHandler<T> {
    private final CallRetry retry;
    private final HttpResponse.BodyHandler<T> application;
    /** How long to wait before the next attempt; -1 when this response is the application's. */
    volatile long delayNanos = -1;

    Attempt(CallRetry retry, HttpResponse.BodyHandler<T> application) {
        this.retry = retry;
        this.application = application;
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        delayNanos = retry.nextDelayNanos(info.statusCode(), name -> info.headers().firstValue(name).orElse(null));
        if (delayNanos < 0) {
            return application.apply(info);
        }
        HttpResponse.BodySubscriber<?> discard = HttpResponse.BodySubscribers.discarding();
        return (HttpResponse.BodySubscriber<T>) discard;
    }
}
