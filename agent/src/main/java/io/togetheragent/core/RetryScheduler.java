package io.togetheragent.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where asynchronous calls wait before their next attempt: one agent daemon thread that only starts attempts, so
 * no thread of the application's or the client's (an I/O reactor, say) is ever held by a wait.
 */
public final class RetryScheduler {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "together-agent-retry-scheduler");
        t.setDaemon(true);
        // Created on an application thread; it must not keep that thread's class loader (a web application) alive.
        t.setContextClassLoader(null);
        return t;
    });

    private RetryScheduler() {}

    public static ScheduledFuture<?> schedule(Runnable attempt, long delayNanos) {
        return SCHEDULER.schedule(attempt, delayNanos, TimeUnit.NANOSECONDS);
    }
}
