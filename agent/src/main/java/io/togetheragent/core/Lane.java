package io.togetheragent.core;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host and API key's share of Together: when its requests may be sent. Two things hold sends back, and only
 * once the server has shown a limit (traffic it never limits is never delayed):
 * <ul>
 * <li>the <b>cool-down gate</b>: after a 429, or a response saying no request is left, every send waits until the
 *     reset the server announced, plus a little jitter so that a fleet does not return at one instant;
 * <li><b>adaptive pacing</b>: sends are spaced to stay just under the rate the server allows, learned from
 *     {@code x-ratelimit-*} headers; a 429 cuts the pace (as AWS's adaptive retry mode does), the last request of a
 *     window eases it, and it grows back over time while the server keeps allowing, like TCP's congestion window.
 * </ul>
 * Spacing is a GCRA (virtual scheduling) whose sends ask when they want to go, bursts up to what the server showed
 * it allows. All times are {@link System#nanoTime()} values passed in, so the arithmetic is testable without clocks.
 */
final class Lane {
    private static final Logger log = LoggerFactory.getLogger(Lane.class);
    /** The pace stays this far under the server's limit. */
    static final double HEADROOM = 0.98;
    /** The pace after a 429. */
    static final double CUT = 0.7;
    /** The pace after a request that was the last one the server allowed in its window. */
    static final double EASE = 0.95;
    /** How fast the pace grows back while the server allows: this share of the limit per second... */
    static final double GROWTH_PER_SECOND = 0.02;
    /**
     * ...and this much while the server shows more than half its burst left: the rate is plainly unused (others
     * sharing the key have stopped), so the pace is back under the limit within a second.
     */
    static final double FAST_GROWTH_PER_SECOND = 1.0;
    /** The pace never falls below this share of the limit. */
    static final double FLOOR = 0.05;
    /** The cool-down after a 429 that says nothing about when to come back. */
    static final long DEFAULT_COOL_DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Jitter added to a cool-down: up to this share of it, and at most {@link #MAX_JITTER_NANOS}. */
    static final double JITTER = 0.1;
    static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final RetryBudget budget = new RetryBudget();
    private final Random random;
    private double limit;
    private double rate;
    private double burst = 1;
    private long bookedUntil = Long.MIN_VALUE;
    private long coolUntil = Long.MIN_VALUE;
    /** When the current cool-down began: a success of a request sent after it shows the server takes requests. */
    private long coolSince = Long.MAX_VALUE;
    private long paceSince;
    private long grownAt;

    Lane(Random random) {
        this.random = random;
    }

    /**
     * Asks to send now: returns {@code now} and books the send when it may go, else the time to ask again (nothing
     * is booked: a send asks again when that time comes, so a pace that grew meanwhile counts at once).
     */
    synchronized long sendAt(long now) {
        if (now < coolUntil) {
            return coolUntil;
        }
        if (rate <= 0) {
            return now;
        }
        long interval = interval();
        if (bookedUntil == Long.MIN_VALUE) {
            bookedUntil = now;
        }
        long at = bookedUntil - tolerance(interval);
        if (at > now) {
            return at;
        }
        bookedUntil = Math.max(bookedUntil, now) + interval;
        return now;
    }

    /**
     * Learns from one response of this lane.
     *
     * @param hint the server's answer to "when may I retry?" on a 429, or null
     * @param sentAt when its request was sent: only a request sent under the current pace tells about that pace
     */
    synchronized void answered(int status, HeaderLookup headers, RetryAfter hint, long sentAt, long now) {
        RateLimitHeaders limits = RateLimitHeaders.from(headers);
        if (limits.limit > 0) {
            limit = limits.limit;
            rate = Math.min(rate, HEADROOM * limit);
            if (limits.remaining >= 0) {
                burst = Math.max(burst, Math.min(limit, Math.floor(limits.remaining) + 1));
            }
        }
        if (status == 429) {
            long reset = Math.max(limits.resetNanos, hint == null ? -1 : TimeUnit.MILLISECONDS.toNanos(hint.millis));
            coolDown(now, reset > 0 ? reset : DEFAULT_COOL_DOWN_NANOS);
            slowDown(sentAt, now, CUT);
        } else if (limits.remaining >= 0 && limits.remaining < 1) {
            if (limits.resetNanos > 0) {
                coolDown(now, limits.resetNanos);
            }
            slowDown(sentAt, now, EASE);
        } else if (status < 400) {
            if (sentAt >= coolSince && now < coolUntil) {
                endCoolDown(now);
            }
            if (limit > 0) {
                speedUp(now, limits.remaining < 0 ? GROWTH_PER_SECOND
                        : limits.remaining > burst / 2 ? FAST_GROWTH_PER_SECOND
                        : limits.remaining >= 1 ? GROWTH_PER_SECOND : 0);
            }
        }
    }

    /** The pace in requests per second; 0 while sends are not paced. For log lines and tests. */
    synchronized double rate() {
        return rate;
    }

    private void coolDown(long now, long resetNanos) {
        long jitter = (long) (random.nextDouble() * Math.min(MAX_JITTER_NANOS, resetNanos * JITTER));
        if (now >= coolUntil) {
            coolSince = now;
        }
        coolUntil = Math.max(coolUntil, now + resetNanos + jitter);
        log.debug("cool-down for {} ms; pace {}/s", (coolUntil - now) / 1_000_000, rate);
        // No burst when the gate opens: the lane's sends resume one interval apart.
        if (rate > 0) {
            bookedUntil = Math.max(bookedUntil, coolUntil + tolerance(interval()));
        }
    }

    /**
     * A request sent during the cool-down (one that could not wait for its end) succeeded: the server takes requests
     * again, so holding the others back to the announced reset, which may be an hour away, only makes them late.
     */
    private void endCoolDown(long now) {
        log.debug("cool-down ended early by a success; pace {}/s", rate);
        coolUntil = Long.MIN_VALUE;
        coolSince = Long.MAX_VALUE;
        if (rate > 0) {
            bookedUntil = Math.min(bookedUntil, now + tolerance(interval()));
        }
    }

    /**
     * Cuts the pace, once per pace: requests sent before the last change (the ones in flight when the first 429
     * came, or sent before pacing began) say nothing about the pace now, as TCP cuts once per round trip.
     */
    private void slowDown(long sentAt, long now, double factor) {
        if (limit <= 0) {
            return;
        }
        if (rate <= 0) {
            startPacing(now);
        } else if (sentAt >= paceSince) {
            rate = Math.max(FLOOR * limit, rate * factor);
            paceSince = now;
            grownAt = now;
            log.debug("pace cut to {}/s (limit {}/s)", rate, limit);
        }
    }

    private void startPacing(long now) {
        rate = HEADROOM * limit;
        paceSince = now;
        grownAt = now;
    }

    private void speedUp(long now, double growthPerSecond) {
        if (rate <= 0) {
            startPacing(now);
        } else if (growthPerSecond > 0) {
            // Only time spent sending counts: a bucket the server refilled during a cool-down says nothing about
            // the pace, and growing by the whole pause would undo the cut that began it.
            long since = Math.max(grownAt, coolUntil);
            if (now > since) {
                rate = Math.min(HEADROOM * limit, rate + growthPerSecond * limit * (now - since) / 1e9);
            }
        }
        grownAt = now;
    }

    private long interval() {
        return (long) (1e9 / rate);
    }

    private long tolerance(long interval) {
        return (long) ((burst - 1) * interval);
    }
}
