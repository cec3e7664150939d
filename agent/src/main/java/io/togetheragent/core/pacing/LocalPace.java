package io.togetheragent.core.pacing;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A lane's pace kept in this JVM's memory. Two things hold its sends back, and only once the server has shown a
 * limit (traffic it never limits is never delayed):
 * <ul>
 * <li>the <b>cool-down gate</b>: after a 429, or an answer saying no request is left, sends wait until the reset
 *     the server announced, plus a little jitter so that a fleet does not return at one instant; a success of a
 *     request sent during the cool-down (one that could not wait for its end) ends it early;
 * <li>two <b>schedules</b>, one per limit the server shows: requests per second and tokens per second. A send goes
 *     when both allow it; a 429 cuts the pace of the limit it reported, and only answers showing that limit's
 *     own room grow it back.
 * </ul>
 */
public final class LocalPace implements Pace {
    /** The cool-down after a 429 that says nothing about when to come back. */
    public static final long DEFAULT_COOL_DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Jitter added to a cool-down: up to this share of it, and at most {@link #MAX_JITTER_NANOS}. */
    static final double JITTER = 0.1;
    static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Random random;
    private final Schedule requests = new Schedule(1);
    private final Schedule tokens = new Schedule(0);
    private long coolUntil = Long.MIN_VALUE;
    /** When the current cool-down began: a success of a request sent after it shows the server takes requests. */
    private long coolSince = Long.MAX_VALUE;

    public LocalPace(Random random) {
        this.random = random;
    }

    @Override
    public synchronized long book(long now, long latest, long cost) {
        long at = Math.max(Math.max(now, coolUntil),
                Math.max(requests.earliest(now, 1), tokens.earliest(now, cost)));
        if (at > latest) {
            return NO_TURN;
        }
        requests.book(at, 1);
        tokens.book(at, cost);
        return at;
    }

    @Override
    public synchronized long closedUntil(long now) {
        return coolUntil;
    }

    @Override
    public synchronized void answered(int status, Limit limit, LimitHeaders headers, long hintNanos, long sentAt,
                                      long now, long cost) {
        requests.showed(headers.requestLimit, headers.requestsLeft, 1);
        tokens.showed(headers.tokenLimit, headers.tokensLeft, cost);
        long coolDown = headers.coolDownNanos(status, hintNanos, DEFAULT_COOL_DOWN_NANOS);
        if (status == 429) {
            coolDown(now, coolDown, cost);
            (limit == Limit.TOKENS ? tokens : requests).slowDown(sentAt, now, Schedule.CUT);
        } else if (headers.requestsLeft >= 0 && headers.requestsLeft < 1) {
            // The last request of the window: until the reset, every further send of the key meets a 429 — those of
            // other JVMs sharing it too, which the schedule cannot see: the gate makes them all wait (issue 17).
            if (coolDown > 0) {
                coolDown(now, coolDown, cost);
            }
            requests.slowDown(sentAt, now, Schedule.EASE);
        } else if (status < 400) {
            if (sentAt >= coolSince && now < coolUntil) {
                endCoolDown(now, cost);
            }
            requests.speedUp(now, headers.requestsLeft, coolUntil);
            tokens.speedUp(now, headers.tokensLeft, coolUntil);
        }
        // What the server says is left is the truth: the schedules never count on more. (Its reset is when the
        // whole burst is back, not when the next send may go: the schedule, not a cool-down, waits for that.)
        // For tokens this also corrects the estimate of what a request costs.
        requests.leftAt(now, headers.requestsLeft);
        tokens.leftAt(now, headers.tokensLeft);
    }

    @Override
    public synchronized State state(long now) {
        return new State(requests.limit(), requests.rate(), tokens.limit(), tokens.rate(), Math.max(0, coolUntil - now),
                requests.burst(), tokens.burst());
    }

    private void coolDown(long now, long resetNanos, long cost) {
        long jitter = (long) (random.nextDouble() * Math.min(MAX_JITTER_NANOS, resetNanos * JITTER));
        if (now >= coolUntil) {
            coolSince = now;
        }
        coolUntil = Math.max(coolUntil, now + resetNanos + jitter);
        requests.resumeAt(coolUntil, 1);
        tokens.resumeAt(coolUntil, cost);
    }

    /**
     * A request sent during the cool-down succeeded: the server takes requests again, so holding the others back
     * to the announced reset, which may be an hour away, only makes them late.
     */
    private void endCoolDown(long now, long cost) {
        coolUntil = Long.MIN_VALUE;
        coolSince = Long.MAX_VALUE;
        requests.reopenAt(now, 1);
        tokens.reopenAt(now, cost);
    }
}
