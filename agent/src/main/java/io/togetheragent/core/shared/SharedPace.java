package io.togetheragent.core.shared;

import io.togetheragent.core.pacing.Limit;
import io.togetheragent.core.pacing.LimitHeaders;
import io.togetheragent.core.pacing.LocalPace;
import io.togetheragent.core.pacing.Pace;
import java.util.function.Supplier;

/**
 * A lane's pace shared with the other JVMs of a fleet through {@link SharedLimit}: its sends are booked in Redis,
 * one round trip each, and the cool-downs its answers call for are told there. Its own {@link LocalPace} goes on
 * learning from every answer — the pace it passes with each booking — and paces the lane alone whenever Redis
 * cannot answer in time, so that nothing is ever lost by sharing.
 */
public final class SharedPace implements Pace {
    private final LocalPace local;
    private final String lane;
    /** The shared limit now in force, or null since the setting was turned off. */
    private final Supplier<SharedLimit> store;
    /** The shared cool-down's end as the last booking told it. */
    private volatile long sharedClosedUntil = Long.MIN_VALUE;
    /** What this JVM's last answer said was left, to correct the shared schedule at the next booking. */
    private double requestsLeft = -1;
    private double tokensLeft = -1;
    private long leftAt;

    public SharedPace(LocalPace local, String lane, Supplier<SharedLimit> store) {
        this.local = local;
        this.lane = lane;
        this.store = store;
    }

    @Override
    public long book(long now, long latest, long tokens) {
        SharedLimit shared = store.get();
        if (shared != null && shared.mayBlock()) {
            State learnt = local.state(now);
            double requests;
            double tokensSeen;
            long leftAge;
            synchronized (this) {
                requests = requestsLeft;
                tokensSeen = tokensLeft;
                leftAge = now - leftAt;
                requestsLeft = -1;
                tokensLeft = -1;
            }
            SharedLimit.Booking booking = shared.book(lane, shape(learnt), tokens, latest - now, requests, tokensSeen,
                    leftAge);
            if (booking != null) {
                long answered = System.nanoTime();
                sharedClosedUntil = answered + booking.closedForNanos;
                // Nothing Redis holds may make a call wait past what it may: its round trip counts too.
                return booking.noTurn() || booking.delayNanos > latest - answered ? NO_TURN
                        : answered + booking.delayNanos;
            }
        }
        return local.book(now, latest, tokens);
    }

    /**
     * While Redis answers, only the fleet's cool-down counts: this JVM's own is for when it paces alone, and holding
     * a booked send to it would only make the send book again, spending a place of the fleet's each time.
     */
    @Override
    public long closedUntil(long now) {
        return sharing() ? sharedClosedUntil : local.closedUntil(now);
    }

    @Override
    public void answered(int status, Limit limit, LimitHeaders headers, long hintNanos, long sentAt, long now,
                         long tokens) {
        local.answered(status, limit, headers, hintNanos, sentAt, now, tokens);
        SharedLimit shared = store.get();
        if (shared == null) {
            return;
        }
        synchronized (this) {
            requestsLeft = headers.requestsLeft();
            tokensLeft = headers.tokensLeft();
            leftAt = now;
        }
        // Only a 429 closes the fleet's lane. An answer that used the last request needs no cool-down here, as it does
        // for a JVM alone: the shared schedule has seen every send, and what was left corrects it at the next booking.
        if (status == 429) {
            shared.coolDown(lane, headers.coolDownNanos(status, hintNanos, LocalPace.DEFAULT_COOL_DOWN_NANOS),
                    shape(local.state(now)), tokens);
        }
    }

    @Override
    public State state(long now) {
        State own = local.state(now);
        return sharing() ? own.closedFor(Math.max(0, sharedClosedUntil - now)) : own;
    }

    @Override
    public boolean bookingBlocks() {
        return sharing();
    }

    /** Whether bookings go to Redis now (it is set, and not found failing). */
    private boolean sharing() {
        SharedLimit shared = store.get();
        return shared != null && shared.mayBlock();
    }

    private static SharedLimit.Shape shape(State learnt) {
        return new SharedLimit.Shape(learnt.requestPace, learnt.requestBurst, learnt.tokenPace, learnt.tokenBurst);
    }
}
