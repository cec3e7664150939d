package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.retry.CallRetry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What each attempt of one call sends: the application's request; or, where its body publisher is the
 * application's own, the same request with that body read ahead (and then its copy), or kept as the JDK pulls it
 * (and then the copy). Later attempts have what is left of the call's timeout.
 */
final class CallAttempts {
    final CallRetry retry;
    private final HttpRequest request;
    /** The application's publisher read before the first turn, or null. */
    private final HeldBody held;
    /** The application's publisher, or what of it was not read ahead, kept as the JDK pulls it; or null. */
    private volatile RecordedBody recorded;
    private final long deadlineNanos;
    private boolean sent;

    private CallAttempts(CallRetry retry, HttpRequest request, HeldBody held, RecordedBody recorded,
                         long deadlineNanos) {
        this.retry = retry;
        this.request = request;
        this.held = held;
        this.recorded = recorded;
        this.deadlineNanos = deadlineNanos;
    }

    /** A call whose body is the JDK's own publisher (sent again as it is), or kept as sent when not null. */
    static CallAttempts of(CallRetry retry, HttpRequest request, RecordedBody recorded, long deadlineNanos) {
        return new CallAttempts(retry, request, null, recorded, deadlineNanos);
    }

    /** A call whose body, the application's publisher, is being read ahead. */
    static CallAttempts held(CallRetry retry, HttpRequest request, HeldBody held, long deadlineNanos) {
        return new CallAttempts(retry, request, held, null, deadlineNanos);
    }

    /** The body as read ahead or as kept, or null while there is none whole: for the retry core. */
    byte[] body() {
        byte[] read = held == null ? null : held.bytes();
        RecordedBody kept = recorded;
        return read != null ? read : kept != null ? kept.bytes() : null;
    }

    /** Waits until the body was read ahead, where it is. */
    void awaitBody() throws InterruptedException {
        if (held != null) {
            held.awaitRead();
        }
    }

    /** Whether the body, where it is read ahead, has been. */
    boolean bodyRead() {
        return held == null || held.isRead();
    }

    /** Runs {@code then} once the body was read ahead: at once, or on the thread that read it. */
    void whenBodyRead(Runnable then) {
        held.whenRead(then);
    }

    /** The call has ended: a body read ahead that the JDK never took is not left waiting. */
    void ended() {
        if (held != null) {
            held.abandon();
        }
    }

    /** The request of the next attempt. */
    HttpRequest next() {
        boolean first = !sent;
        sent = true;
        if (held != null && held.isWhole()) {
            return HttpClientRetry.copy(request, held.publisher(), first ? Long.MAX_VALUE : deadlineNanos);
        }
        if (held != null && first) {
            recorded = held.keptAsSent();
        }
        RecordedBody kept = recorded;
        if (kept == null) {
            return first ? request : HttpClientRetry.copy(request, request.bodyPublisher().orElse(null),
                    deadlineNanos);
        }
        return first ? HttpClientRetry.copy(request, kept, Long.MAX_VALUE)
                : HttpClientRetry.copy(request, kept.replay(), deadlineNanos);
    }

    /** The body handler of the next attempt, which decides on its answer. */
    <T> Attempt<T> attempt(HttpResponse.BodyHandler<T> handler) {
        return new Attempt<>(retry, handler, recorded);
    }
}
