package io.togetheragent.core;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry decision for one application call, across its attempts. An adapter loops:
 * send, {@link #nextDelayNanos}, and while that is not negative, discard the response, {@link #await}, send again.
 */
public final class CallRetry {
    private static final Logger log = LoggerFactory.getLogger(CallRetry.class);
    /** How often a wait looks whether the application cancelled the call meanwhile. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Settings settings;
    private final KeyCheck keys;
    private final Metrics metrics;
    private final String authorization;
    private final String target;
    private final String whyNotReplayable;
    private final long deadlineNanos;
    private int retries;
    private long waitedNanos;
    private long attemptStartNanos = System.nanoTime();

    CallRetry(Settings settings, KeyCheck keys, Metrics metrics, String target, String whyNotReplayable,
              long deadlineNanos, String authorization) {
        this.settings = settings;
        this.keys = keys;
        this.metrics = metrics;
        this.authorization = authorization;
        this.target = target;
        this.whyNotReplayable = whyNotReplayable;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Given the response just received, how long to wait before sending again; -1 hands the response to the
     * application. Never throws: a failure of the agent here hands the response over.
     */
    public long nextDelayNanos(int status, HeaderLookup headers) {
        return nextDelayNanos(status, headers, null);
    }

    /**
     * As {@link #nextDelayNanos(int, HeaderLookup)}, for adapters that can read the response body without taking
     * it from the application: the key check reads what Together says about the key (asked only for 401, 402, 429).
     */
    public long nextDelayNanos(int status, HeaderLookup headers, Supplier<String> body) {
        keys.afterResponse(status, authorization, body, metrics);
        try {
            FailOpen.injectFault("decide");
            metrics.status(status);
            if (!settings.isRetryStatus(status)) {
                finished(status);
                return -1;
            }
            return decideRetry(status, headers);
        } catch (Throwable t) {
            FailOpen.report("the retry decision", t);
            return -1;
        }
    }

    private long decideRetry(int status, HeaderLookup headers) {
        int retry = retries + 1;
        RetryAfter hint = RetryAfter.from(headers, System.currentTimeMillis());
        long backoff = Backoff.exponential(retry, settings.baseDelayMillis(), settings.maxDelayMillis());
        long hinted = hint != null ? Backoff.hinted(hint) : -1;
        long delay = Math.max(hinted, backoff);
        String wait = Durations.seconds(delay) + " (" + (hinted >= backoff ? hint.source : "backoff") + ")";
        boolean observe = settings.mode() == Mode.OBSERVE;

        if (whyNotReplayable != null) {
            metrics.gaveUp();
            if (LogOnce.first(whyNotReplayable)) {
                log.warn("{}{} got {}: {} because {} (said once)", observe ? "[observe] " : "", target, status,
                        observe ? "would not retry" : "not retried", whyNotReplayable);
            }
            return -1;
        }
        String refusal = refusal(delay, wait);
        if (observe) {
            if (refusal == null) {
                metrics.wouldRetry();
                log.info("[observe] {} got {}: would retry {} of {} in {}", target, status, retry,
                        settings.maxRetries(), wait);
            } else {
                log.info("[observe] {} got {}: would give up, because {}", target, status, refusal);
            }
            return -1;
        }
        if (refusal != null) {
            metrics.gaveUp();
            log.warn("{} got {}: giving up after {} retries and {} waiting, because {}; the application gets the {}",
                    target, status, retries, Durations.seconds(waitedNanos), refusal, status);
            return -1;
        }
        retries = retry;
        waitedNanos += delay;
        metrics.retry(delay);
        log.info("{} got {}: retry {} of {} in {}", target, status, retry, settings.maxRetries(), wait);
        return delay;
    }

    /** Why the next retry must not happen, or null when it may. */
    private String refusal(long delay, String wait) {
        if (retries >= settings.maxRetries()) {
            return "all " + settings.maxRetries() + " retries used";
        }
        long maxWaitLeft = TimeUnit.MILLISECONDS.toNanos(settings.maxWaitMillis()) - waitedNanos;
        if (delay > maxWaitLeft) {
            return "the next wait of " + wait + " is more than the " + Durations.seconds(Math.max(0, maxWaitLeft))
                    + " left of max-wait " + Durations.format(settings.maxWaitMillis());
        }
        // The next attempt needs time too, and the application still has to read the body within the timeout:
        // allow it twice what the last attempt took.
        long now = System.nanoTime();
        if (deadlineNanos != Long.MAX_VALUE && now + delay + 2 * (now - attemptStartNanos) >= deadlineNanos) {
            return "the next wait of " + wait + " would leave too little of the call's own timeout for another attempt";
        }
        return null;
    }

    private void finished(int status) {
        if (retries == 0) {
            return;
        }
        if (status < 400) {
            metrics.recovered();
        }
        log.info("{} got {} after {} retries and {} waiting", target, status, retries, Durations.seconds(waitedNanos));
    }

    /**
     * Waits the given time, never less, returning early only when the application cancels the call.
     *
     * @throws InterruptedException when the thread is interrupted; its interrupt flag is set again
     */
    public void await(long nanos, BooleanSupplier cancelled) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !cancelled.getAsBoolean(); left = end - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, CANCEL_POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
        attemptStartNanos = System.nanoTime();
    }

    /**
     * Whether the agent may send this call again. Then it is the call's one retry layer, and a client's own
     * retrying of the same statuses must stand aside.
     */
    public boolean resends() {
        return settings.mode() == Mode.RETRY && whyNotReplayable == null;
    }

    /** The Authorization value to send: the application's, or with {@code key-repair=trim} the trimmed key. */
    public String authorizationToSend() {
        return keys.repaired(authorization);
    }

    /** Whether the key check wants the body of a response with this status (for the overload that takes one). */
    public boolean wantsBody(int status) {
        return keys.wantsBody(status);
    }

    public int retries() {
        return retries;
    }
}
