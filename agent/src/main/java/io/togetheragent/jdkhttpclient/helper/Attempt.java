package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.CallRetry;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

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

    /** Whether this attempt's response is being discarded for a retry: whatever its body does then is no outcome. */
    boolean discarded() {
        return delayNanos >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        delayNanos = retry.nextDelayNanos(info.statusCode(), name -> info.headers().firstValue(name).orElse(null));
        if (delayNanos < 0) {
            return application.apply(info);
        }
        return (HttpResponse.BodySubscriber<T>) new Discarded();
    }

    /**
     * Takes a response the application will never see, and ends well even when its body breaks off (a cut-off 429),
     * as the JDK's own discarding subscriber does not. The client may still fail the send itself then: the adapter
     * retries all the same, see {@link #discarded} (issue 13).
     */
    private static final class Discarded implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            // Dropped.
        }

        @Override
        public void onError(Throwable broken) {
            done.complete(null);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
}
