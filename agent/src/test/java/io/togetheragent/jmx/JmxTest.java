package io.togetheragent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.togetheragent.core.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JmxTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The first Together host is counted on the application's thread, in its call, and that schedules the search
     * for an open JMX server. Where the scheduler's thread had its queue locked just then (it had just started, for
     * the summary line), the application's thread parked on that lock holding Jmx.class: a virtual thread would
     * have pinned its carrier (seen once in CI, in UrlConnectionBehaviourIT.waitsHoldingNoMonitor). Here a
     * thread holds the queue's lock until the counting thread is parked on it.
     */
    @Test
    void theFirstHostIsCountedHoldingNoMonitorWhileTheSchedulerIsBusy() throws Exception {
        Field agentAdded = Jmx.class.getDeclaredField("agentAdded");
        agentAdded.setAccessible(true);
        agentAdded.setBoolean(null, false);
        ScheduledFuture<?> queued = Scheduler.schedule(() -> { }, TimeUnit.HOURS.toNanos(1));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlock = new CountDownLatch(1);
        // The queue compares what it is asked about with each queued task under its lock.
        Object lockHolder = new Object() {
            @Override
            public boolean equals(Object other) {
                locked.countDown();
                awaitQuietly(unlock);
                return false;
            }

            @Override
            public int hashCode() {
                return 0;
            }
        };
        Thread holder = new Thread(() -> schedulerQueue().contains(lockHolder), "holds-the-scheduler-queue");
        holder.start();
        assertTrue(locked.await(10, TimeUnit.SECONDS), "the queue's lock was taken");
        Thread counting = new Thread(() -> Jmx.hostSeen("api.together.test"), "counts-the-first-host");
        counting.start();
        ThreadInfo parked;
        try {
            parked = parkedInTheScheduler(counting);
        } finally {
            unlock.countDown();
            counting.join(10_000);
            holder.join(10_000);
            queued.cancel(false);
        }
        assertEquals(0, parked.getLockedMonitors().length, "parked holding " + Arrays.toString(
                parked.getLockedMonitors()) + " at\n" + Arrays.toString(parked.getStackTrace()));
    }

    private static ThreadInfo parkedInTheScheduler(Thread thread) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            ThreadInfo info = THREADS.getThreadInfo(new long[] {thread.getId()}, true, false)[0];
            if (info != null && info.getThreadState() == Thread.State.WAITING && Arrays.stream(info.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals(Scheduler.class.getName()))) {
                return info;
            }
            Thread.sleep(1);
        }
        fail("the counting thread never parked on the scheduler's queue");
        return null;
    }

    private static BlockingQueue<Runnable> schedulerQueue() {
        try {
            Field scheduler = Scheduler.class.getDeclaredField("SCHEDULER");
            scheduler.setAccessible(true);
            return ((ScheduledThreadPoolExecutor) scheduler.get(null)).getQueue();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
