package io.togetheragent.core.retry;

import io.togetheragent.core.FailOpen;

/**
 * One call of an asynchronous client whose attempts the agent sends itself (the JDK client's {@code sendAsync},
 * Reactor Netty), each at its turn: at once on the thread that asks, or later from the agent's scheduler thread. A
 * failure there has nobody to reach but the application's call, so it ends the call; it never reaches the scheduler.
 * The adapter says how an attempt is sent and how the call fails.
 */
public abstract class ScheduledAttempts {
    protected final CallRetry retry;

    protected ScheduledAttempts(CallRetry retry) {
        this.retry = retry;
    }

    /** Sends the attempt now, on the calling thread; the application's call may have ended meanwhile. */
    protected abstract void send();

    /** Ends the application's call with this failure, unless it has ended already. */
    protected abstract void fail(Throwable error);

    /** The attempt goes when it is its turn: at once on this thread, or later from the agent's scheduler. */
    protected final void attempt() {
        if (retry.sendNowOr(this::attemptLater)) {
            send();
        }
    }

    /**
     * The first attempt, when it could not go from the application's thread (its body was still being read): on
     * another thread, so whatever goes wrong ends the call.
     */
    protected final void attemptElsewhere() {
        try {
            attempt();
        } catch (Throwable t) {
            retry.attemptFailed();
            fail(t);
        }
    }

    /** The next attempt, once a retry's wait is over (on the agent's scheduler): whatever goes wrong ends the call. */
    protected final void retry() {
        try {
            FailOpen.injectFault("resend");
            attempt();
        } catch (Throwable t) {
            retry.attemptFailed();
            fail(FailOpen.retryNotSent(t));
        }
    }

    private void attemptLater() {
        try {
            send();
        } catch (Throwable t) {
            retry.attemptFailed();
            fail(t);
        }
    }
}
