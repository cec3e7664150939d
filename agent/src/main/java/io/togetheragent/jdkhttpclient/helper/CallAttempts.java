package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.retry.CallRetry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What each attempt of one call sends: the application's request; or, where its body publisher is the
 * application's own, the same request with that body kept as the JDK pulls it, and then the copy. Later attempts
 * have what is left of the call's timeout.
 */
final class CallAttempts {
    final CallRetry retry;
    private final HttpRequest request;
    private final RecordedBody recorded;
    private final long deadlineNanos;
    private boolean sent;

    CallAttempts(CallRetry retry, HttpRequest request, RecordedBody recorded, long deadlineNanos) {
        this.retry = retry;
        this.request = request;
        this.recorded = recorded;
        this.deadlineNanos = deadlineNanos;
    }

    /** The request of the next attempt. */
    HttpRequest next() {
        boolean first = !sent;
        sent = true;
        if (recorded == null) {
            return first ? request : HttpClientRetry.copy(request, request.bodyPublisher().orElse(null),
                    deadlineNanos);
        }
        return first ? HttpClientRetry.copy(request, recorded, Long.MAX_VALUE)
                : HttpClientRetry.copy(request, recorded.replay(), deadlineNanos);
    }

    /** The body handler of the next attempt, which decides on its answer. */
    <T> Attempt<T> attempt(HttpResponse.BodyHandler<T> handler) {
        return new Attempt<>(retry, handler, recorded);
    }
}
