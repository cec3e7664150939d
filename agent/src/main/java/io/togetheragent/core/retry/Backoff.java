package io.togetheragent.core.retry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** How long to wait before a retry, in nanoseconds. */
final class Backoff {
    /** The server's hint is honoured at 1x to 1.2x: never earlier than asked, spread so clients do not stampede. */
    static final double HINT_SPREAD = 0.2;

    private Backoff() {}

    static long hinted(RetryAfter hint) {
        double factor = 1.0 + ThreadLocalRandom.current().nextDouble() * HINT_SPREAD;
        return (long) (TimeUnit.MILLISECONDS.toNanos(hint.millis) * factor);
    }

    /** Full jitter: the k-th retry waits random(0, min(max-delay, base-delay * 2^(k-1))). */
    static long exponential(int retryNumber, long baseMillis, long maxMillis) {
        long cap = Math.min(maxMillis, baseMillis);
        for (int k = 1; k < retryNumber && cap < maxMillis; k++) {
            cap = Math.min(maxMillis, cap * 2);
        }
        if (cap <= 0) {
            return 0;
        }
        return (long) (ThreadLocalRandom.current().nextDouble() * TimeUnit.MILLISECONDS.toNanos(cap));
    }
}
