package io.togetheragent.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one daemon thread for timed work: asynchronous calls wait here before their next attempt (so no
 * thread of the application's or the client's, an I/O reactor say, is ever held by a wait), and periodic summary
 * lines are written from here. Tasks only start work; they never block.
 */
public final class Scheduler {
    private static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "together-agent-scheduler");
        t.setDaemon(true);
        // Created on an application thread; it must not keep that thread's class loader (a web application) alive.
        t.setContextClassLoader(null);
        return t;
    });

    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A call nobody can stop while it waits: its wait is one timer, not a look every 50 ms. */
    public static final java.util.function.BooleanSupplier NEVER = () -> false;

    private Scheduler() {}

    public static ScheduledFuture<?> schedule(Runnable attempt, long delayNanos) {
        return SCHEDULER.schedule(attempt, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code then} once {@code nanos} have passed, or sooner, as soon as {@code stop} says the call was cancelled
     * (looked at every 50 ms): for clients that tell nobody when the application aborts a call.
     */
    public static void waitThen(long nanos, java.util.function.BooleanSupplier stop, Runnable then) {
        if (stop == NEVER) {
            schedule(then, nanos);
            return;
        }
        long end = System.nanoTime() + nanos;
        schedule(new Runnable() {
            @Override
            public void run() {
                long left = end - System.nanoTime();
                if (left <= 0 || stopped(stop)) {
                    then.run();
                } else {
                    schedule(this, Math.min(left, STOP_POLL_NANOS));
                }
            }
        }, Math.min(nanos, STOP_POLL_NANOS));
    }

    /**
     * A look that fails ends the wait: on the scheduler, whatever a task throws is lost with the task, and the call
     * would wait for good.
     */
    private static boolean stopped(java.util.function.BooleanSupplier stop) {
        try {
            return stop.getAsBoolean();
        } catch (Throwable t) {
            FailOpen.report("looking whether a waiting call was aborted", t);
            return true;
        }
    }

    /** Runs the task every period; a failure of the agent's in it is reported once and the task keeps running. */
    public static void every(long periodMillis, String what, Runnable task) {
        SCHEDULER.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                FailOpen.report(what, t);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
