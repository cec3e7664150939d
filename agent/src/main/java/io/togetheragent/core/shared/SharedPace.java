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

    @Override
    public long closedUntil(long now) {
        long own = local.closedUntil(now);
        return store.get() == null ? own : Math.max(own, sharedClosedUntil);
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
        long coolDown = headers.coolDownNanos(status, hintNanos, LocalPace.DEFAULT_COOL_DOWN_NANOS);
        if (coolDown > 0) {
            shared.coolDown(lane, coolDown, shape(local.state(now)), tokens);
        }
    }

    @Override
    public State state(long now) {
        State own = local.state(now);
        return store.get() == null ? own : own.closedFor(Math.max(own.closedForNanos, sharedClosedUntil - now));
    }

    @Override
    public boolean bookingBlocks() {
        SharedLimit shared = store.get();
        return shared != null && shared.mayBlock();
    }

    private static SharedLimit.Shape shape(State learnt) {
        return new SharedLimit.Shape(learnt.requestPace, learnt.requestBurst, learnt.tokenPace, learnt.tokenBurst);
    }
}
