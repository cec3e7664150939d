package io.togetheragent.core.pacing;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * A lane far from its limits lends sends that pass without its lock (see {@link Lease}).
 */
public final class LocalPace implements Pace {
    /** The cool-down after a 429 that says nothing about when to come back. */
    public static final long DEFAULT_COOL_DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Jitter added to a cool-down: up to this share of it, and at most {@link #MAX_JITTER_NANOS}. */
    static final double JITTER = 0.1;
    static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The most sends one lease books ahead. */
    static final int MOST_LENT = 64;
    /** The most time a lease holds. */
    static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * A lane is far from a limit while the server shows at most this share of its burst used; a lease's sends may
     * come late on the schedule by at most as much.
     */
    static final double FAR = 1.0 / 16;

    private final Random random;
    private final Schedule requests = new Schedule(1);
    private final Schedule tokens = new Schedule(0);
    private long coolUntil = Long.MIN_VALUE;
    /** When the current cool-down began: a success of a request sent after it shows the server takes requests. */
    private long coolSince = Long.MAX_VALUE;
    /** The lane's lease while it is far from its limits, else null; replaced or ended under the lock only. */
    private volatile Lease lease;

    public LocalPace(Random random) {
        this.random = random;
    }

    @Override
    public long book(long now, long latest, long cost) {
        Lease lent = lease;
        if (lent != null && now <= latest && lent.lends(now, cost)) {
            return now;
        }
        return bookLocked(now, latest, cost);
    }

    @Override
    public boolean lendsUnread(long now) {
        Lease lent = lease;
        return lent != null && lent.lends(now, lent.tokens);
    }

    @Override
    public boolean answeredUnread(int status, LimitHeaders headers) {
        Lease lent = lease;
        return lent != null && lent.changesNothing(status, headers, lent.tokens);
    }

    private synchronized long bookLocked(long now, long latest, long cost) {
        endLease();
        long at = Math.max(Math.max(now, coolUntil),
                Math.max(requests.earliest(now, 1), tokens.earliest(now, cost)));
        if (at > latest) {
            return NO_TURN;
        }
        requests.book(at, 1);
        tokens.book(at, cost);
        if (at == now) {
            lend(now, cost);
        }
        return at;
    }

    @Override
    public synchronized long closedUntil(long now) {
        return coolUntil;
    }

    @Override
    public void answered(int status, Limit limit, LimitHeaders headers, long hintNanos, long sentAt, long now,
                         long cost) {
        Lease lent = lease;
        if (lent == null || !lent.changesNothing(status, headers, cost)) {
            answeredLocked(status, limit, headers, hintNanos, sentAt, now, cost);
        }
    }

    private synchronized void answeredLocked(int status, Limit limit, LimitHeaders headers, long hintNanos,
                                             long sentAt, long now, long cost) {
        // Before the pace changes: the lent sends not sent are taken back at the pace they were booked at.
        endLease();
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

    /**
     * Books sends ahead, to go without the lock, where the lane holds nothing back and the server's answers can no
     * longer change its pace: no cool-down, each schedule unpaced or back at its most, and room for twice as many.
     * Booked now, they may go within the lease's time: late on the schedule by at most that, which is kept under
     * what the schedule lets go in a {@link #FAR} share of its burst.
     */
    private void lend(long now, long cost) {
        if (now < coolUntil || !requests.settled() || !tokens.settled()) {
            return;
        }
        long sends = Math.min(MOST_LENT, Math.min(requests.room(now, 1), tokens.room(now, cost)) / 2);
        if (sends < 2) {
            return;
        }
        requests.book(now, sends);
        tokens.book(now, sends * cost);
        long holds = Math.min(LEASE_NANOS,
                Math.min(requests.nanosFor(FAR * requests.burst()), tokens.nanosFor(FAR * tokens.burst())));
        lease = new Lease(now + holds, cost, (int) sends, requests.limit(), requests.burst(), tokens.limit(),
                tokens.burst());
    }

    /** Ends the lease, taking back the sends it booked that did not go. */
    private void endLease() {
        Lease lent = lease;
        if (lent != null) {
            lease = null;
            int unsent = lent.end();
            requests.unbook(unsent);
            tokens.unbook((double) unsent * lent.tokens);
        }
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

    /**
     * Sends booked ahead, which go without the lane's lock: four threads sending on one lane spent more CPU waiting
     * for it than in it (issue 18). While a lease is out, the lane is as its lock last saw it (every change of it
     * ends the lease), so an answer that allows sends and shows the limits as known, with at most a {@link #FAR}
     * share of each burst used, would change nothing that holds a send back: it passes without the lock too.
     */
    private static final class Lease {
        final long until;
        /** The most tokens a lent send may cost: what each was booked for. */
        final long tokens;
        private final AtomicInteger left;
        private final double requestLimit;
        private final double requestBurst;
        private final double tokenLimit;
        private final double tokenBurst;

        Lease(long until, long tokens, int sends, double requestLimit, double requestBurst, double tokenLimit,
              double tokenBurst) {
            this.until = until;
            this.tokens = tokens;
            this.left = new AtomicInteger(sends);
            this.requestLimit = requestLimit;
            this.requestBurst = requestBurst;
            this.tokenLimit = tokenLimit;
            this.tokenBurst = tokenBurst;
        }

        boolean lends(long now, long cost) {
            if (now > until || cost > tokens) {
                return false;
            }
            for (int n = left.get(); n > 0; n = left.get()) {
                if (left.compareAndSet(n, n - 1)) {
                    return true;
                }
            }
            return false;
        }

        /** The sends not lent; none can be lent after. */
        int end() {
            return left.getAndSet(0);
        }

        boolean changesNothing(int status, LimitHeaders headers, long cost) {
            return status >= 200 && status < 400
                    && far(headers.requestLimit, headers.requestsLeft, 1, requestLimit, requestBurst)
                    && far(headers.tokenLimit, headers.tokensLeft, cost, tokenLimit, tokenBurst);
        }

        /** Whether an answer showing this of a limit leaves its schedule as it is, or off it by a FAR share. */
        private static boolean far(double shownLimit, double left, double units, double limit, double burst) {
            if (limit <= 0) {
                return shownLimit <= 0;
            }
            if (shownLimit > 0 && shownLimit != limit) {
                return false;
            }
            return left < 0 || (Math.min(limit, Math.floor(left) + units) <= burst && burst - left <= FAR * burst);
        }
    }
}
