package io.togetheragent.core;

/**
 * A per-thread mark an adapter sets around its own attempt, so that the hook the attempt passes through again
 * lets it by. Lowered by setting null rather than by {@code ThreadLocal.remove()}: after a remove, the thread's
 * next call through the hook would find no entry and have one made again, on every request.
 */
public final class ThreadFlag {
    private final ThreadLocal<Boolean> raised = new ThreadLocal<>();

    public void raise() {
        raised.set(Boolean.TRUE);
    }

    public void lower() {
        raised.set(null);
    }

    public boolean isRaised() {
        return raised.get() != null;
    }
}
