package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    /** Regression: a look at the call that threw ended the wait's task, and its call never went on. */
    @Test
    void aWaitWhoseLookFailsEndsAtOnce() throws InterruptedException {
        CountDownLatch went = new CountDownLatch(1);
        Scheduler.waitThen(TimeUnit.MINUTES.toNanos(1), () -> {
            throw new IllegalStateException("the client's getter failed");
        }, went::countDown);
        assertTrue(went.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aWaitEndsWhenItsCallIsAborted() throws InterruptedException {
        CountDownLatch went = new CountDownLatch(1);
        long start = System.nanoTime();
        Scheduler.waitThen(TimeUnit.MINUTES.toNanos(1), () -> System.nanoTime() - start > 100_000_000L,
                went::countDown);
        assertTrue(went.await(5, TimeUnit.SECONDS));
    }
}
