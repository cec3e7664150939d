package io.togetheragent.core.pacing;

/**
 * The send schedule of one of the server's limits (requests per second, or tokens per second): a GCRA (virtual
 * scheduling) in the limit's units, bursting up to what the server showed it allows, with a pace that the server's
 * refusals cut and its allowing answers grow back, like TCP's congestion window and AWS's adaptive retry mode.
 * Nothing is paced until the server has shown the limit. Not thread-safe: its {@link LocalPace} guards it.
 */
final class Schedule {
    /** The pace stays this far under the server's limit. */
    static final double HEADROOM = 0.98;
    /** The pace after a refusal for this limit. */
    static final double CUT = 0.7;
    /** The pace after an answer that used the last of the limit. */
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

    private double limit;
    private double rate;
    private double burst;
    /** The theoretical arrival time of the next send: where the schedule's bookings have reached. */
    private long bookedUntil = Long.MIN_VALUE;
    private long paceSince;
    private long grownAt;

    /** @param burst what may go at once before the server has shown more: one send's units */
    Schedule(double burst) {
        this.burst = burst;
    }

    /** The earliest time, not before {@code now}, that a send of this many units keeps to the schedule. */
    long earliest(long now, double units) {
        if (rate <= 0 || bookedUntil == Long.MIN_VALUE) {
            return now;
        }
        return Math.max(now, bookedUntil + nanos(units) - nanos(burst));
    }

    /** Books a send of this many units at {@code at}, a time {@link #earliest} allowed. */
    void book(long at, double units) {
        if (rate > 0) {
            bookedUntil = Math.max(bookedUntil == Long.MIN_VALUE ? at : bookedUntil, at) + nanos(units);
        }
    }

    /**
     * How many more sends of this many units may be booked at {@code now} and still go at once (the most a long
     * holds where the schedule holds nothing back).
     */
    long room(long now, double units) {
        long each = rate <= 0 || bookedUntil == Long.MIN_VALUE || units <= 0 ? 0 : nanos(units);
        if (each <= 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, now + nanos(burst) - Math.max(bookedUntil, now)) / each;
    }

    /** Takes back sends of this many units in all that were booked but never sent (before any change of pace). */
    void unbook(double units) {
        if (rate > 0 && bookedUntil != Long.MIN_VALUE) {
            bookedUntil -= nanos(units);
        }
    }

    /** Whether answers that allow sends can no longer change the pace: none is known, or it is back at its most. */
    boolean settled() {
        return limit <= 0 || rate >= HEADROOM * limit;
    }

    /** How long this many units take at the pace (the longest time where not paced). */
    long nanosFor(double units) {
        return rate <= 0 ? Long.MAX_VALUE : nanos(units);
    }

    /** What an answer showed of this limit: its size and what was left, after a send of this many units. */
    void showed(double limit, double remaining, double units) {
        if (limit <= 0) {
            return;
        }
        this.limit = limit;
        rate = Math.min(rate, HEADROOM * limit);
        if (remaining >= 0) {
            burst = Math.max(burst, Math.min(limit, Math.floor(remaining) + units));
        }
    }

    /**
     * The server says only this much is left now: the schedule never counts on more. Where it counts on less (sends
     * booked that the server has not seen yet), it keeps its own view.
     */
    void leftAt(long now, double remaining) {
        if (rate > 0 && remaining >= 0) {
            long fromServer = now + nanos(burst - remaining);
            bookedUntil = bookedUntil == Long.MIN_VALUE ? fromServer : Math.max(bookedUntil, fromServer);
        }
    }

    /** No burst when a cool-down ends at {@code at}: the sends resume one after another. */
    void resumeAt(long at, double units) {
        if (rate > 0) {
            long resume = at + nanos(burst) - nanos(units);
            bookedUntil = bookedUntil == Long.MIN_VALUE ? resume : Math.max(bookedUntil, resume);
        }
    }

    /** A cool-down ended early at {@code now}: bookings made for its end no longer hold sends back. */
    void reopenAt(long now, double units) {
        if (rate > 0 && bookedUntil != Long.MIN_VALUE) {
            bookedUntil = Math.min(bookedUntil, now + nanos(burst) - nanos(units));
        }
    }

    /**
     * Cuts the pace, once per pace: sends from before the last change (in flight when the first refusal came, or
     * sent before pacing began) say nothing about the pace now, as TCP cuts once per round trip.
     */
    void slowDown(long sentAt, long now, double factor) {
        if (limit <= 0) {
            return;
        }
        if (rate <= 0) {
            startPacing(now);
        } else if (sentAt >= paceSince) {
            rate = Math.max(FLOOR * limit, rate * factor);
            paceSince = now;
            grownAt = now;
        }
    }

    /**
     * Grows the pace back after an allowing answer that left this much of the limit (-1: not said).
     *
     * @param pausedUntil the end of a cool-down: time spent in it does not count, since a bucket the server refilled
     *     meanwhile says nothing about the pace, and growing by the whole pause would undo the cut that began it
     */
    void speedUp(long now, double remaining, long pausedUntil) {
        if (limit <= 0) {
            return;
        }
        if (rate <= 0) {
            startPacing(now);
            grownAt = now;
            return;
        }
        double growth = remaining < 0 ? GROWTH_PER_SECOND
                : remaining > burst / 2 ? FAST_GROWTH_PER_SECOND
                : remaining >= 1 ? GROWTH_PER_SECOND : 0;
        long since = Math.max(grownAt, pausedUntil);
        if (growth > 0 && now > since) {
            rate = Math.min(HEADROOM * limit, rate + growth * limit * (now - since) / 1e9);
        }
        grownAt = now;
    }

    double limit() {
        return limit;
    }

    /** The pace in units per second; 0 while not paced. */
    double rate() {
        return rate;
    }

    double burst() {
        return burst;
    }

    private void startPacing(long now) {
        rate = HEADROOM * limit;
        paceSince = now;
        grownAt = now;
    }

    private long nanos(double units) {
        return (long) (units / rate * 1e9);
    }
}
