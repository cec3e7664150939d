package io.togetheragent.core.pacing;

/**
 * When the sends of one lane — one host, API key and model — may go, so that they stay within Together's limits
 * for it. This JVM keeps its lanes in memory ({@link LocalPace}); a store shared by a fleet can keep them instead.
 * Times are {@link System#nanoTime()} values passed in, so an implementation is testable without clocks.
 */
public interface Pace {
    /** What {@link #book} returns when the send could not go by the latest time it may: nothing is booked. */
    long NO_TURN = Long.MIN_VALUE;

    /**
     * Books the next place in the lane for a send of this many tokens (0 when not known): sends get their places in
     * the order they ask. Returns the time it may go ({@code now} for at once), or {@link #NO_TURN} when that would
     * be after {@code latest}.
     */
    long book(long now, long latest, long tokens);

    /** Until when the lane is closed (a cool-down after a 429), or a time before {@code now} when it is open. */
    long closedUntil(long now);

    /**
     * Learns from one response of this lane.
     *
     * @param limit the limit a 429 reported; ignored for other statuses
     * @param hintNanos the server's "retry after" on a 429, or -1
     * @param sentAt when its request was sent: only a request sent under the current pace tells about that pace
     * @param tokens the tokens its request was estimated to cost, as booked
     */
    void answered(int status, Limit limit, LimitHeaders headers, long hintNanos, long sentAt, long now, long tokens);

    /** What the lane knows now, for JMX and log lines. */
    State state(long now);

    /**
     * Gives a send of unknown cost (a request not read for its model and tokens) a place booked ahead, where the
     * lane holds nothing back and has such places: counted at what they were booked for. False when it has none:
     * the request is then read and {@link #book}ed.
     */
    default boolean lendsUnread(long now) {
        return false;
    }

    /**
     * Takes the answer to a send {@link #lendsUnread lent unread} where it changes nothing (it allows sends and
     * leaves the lane far from its limits); false where it may: the request is then read, and its lane told
     * through {@link #answered}.
     */
    default boolean answeredUnread(int status, LimitHeaders headers) {
        return false;
    }

    /** Whether {@link #book} may wait on a store (a round trip): a thread that must not block then hands it over. */
    default boolean bookingBlocks() {
        return false;
    }

    /** A lane's limits as the server showed them and its pace under them; 0 where not known or not paced. */
    final class State {
        public final double requestLimit;
        public final double requestPace;
        public final double tokenLimit;
        public final double tokenPace;
        public final long closedForNanos;
        /** What may go at once, in requests and in tokens. */
        public final double requestBurst;
        public final double tokenBurst;

        State(double requestLimit, double requestPace, double tokenLimit, double tokenPace, long closedForNanos,
              double requestBurst, double tokenBurst) {
            this.requestLimit = requestLimit;
            this.requestPace = requestPace;
            this.tokenLimit = tokenLimit;
            this.tokenPace = tokenPace;
            this.closedForNanos = closedForNanos;
            this.requestBurst = requestBurst;
            this.tokenBurst = tokenBurst;
        }

        /** The same state, closed for this long. */
        public State closedFor(long nanos) {
            return new State(requestLimit, requestPace, tokenLimit, tokenPace, nanos, requestBurst, tokenBurst);
        }
    }
}
