package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {
    private static final long LONG = TimeUnit.MINUTES.toNanos(1);
    /** How often a blocked call looks whether it was cancelled. */
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void permitsGoToWaitersInArrivalOrder() {
        ConcurrencyLimit limit = new ConcurrencyLimit(2);
        List<String> granted = new CopyOnWriteArrayList<>();
        assertNull(limit.acquireOrQueue(LONG, got -> granted.add("a")));
        assertNull(limit.acquireOrQueue(LONG, got -> granted.add("b")));
        for (String name : new String[] {"c", "d", "e"}) {
            assertNotNull(limit.acquireOrQueue(LONG, got -> granted.add(name + got)));
        }
        assertEquals(2, limit.inFlight());
        assertEquals(3, limit.waiting());
        limit.release();
        limit.release();
        limit.release();
        assertEquals(List.of("ctrue", "dtrue", "etrue"), granted);
        assertEquals(2, limit.inFlight(), "each release handed its permit on");
        limit.release();
        limit.release();
        assertEquals(0, limit.inFlight());
    }

    /** An asynchronous waiter whose call is aborted leaves the queue, and is never given a permit after. */
    @Test
    void anAbortedAsynchronousWaiterLeavesTheQueue() throws InterruptedException {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertNull(limit.acquireOrQueue(LONG, got -> { }));
        AtomicInteger told = new AtomicInteger();
        ConcurrencyLimit.Waiter waiter = limit.acquireOrQueue(LONG, got -> told.incrementAndGet());
        AtomicBoolean aborted = new AtomicBoolean();
        CountDownLatch withdrawn = new CountDownLatch(1);
        limit.withdrawWhen(waiter, aborted::get, LONG, withdrawn::countDown);
        assertFalse(withdrawn.await(150, TimeUnit.MILLISECONDS), "not before its abort");
        aborted.set(true);
        assertTrue(withdrawn.await(5, TimeUnit.SECONDS));
        assertEquals(0, limit.waiting());
        limit.release();
        assertEquals(0, told.get(), "the permit went back, not to the aborted call");
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aWaiterThatWaitedItsLongestProceedsWithoutAPermit() throws InterruptedException {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertNull(limit.acquireOrQueue(LONG, got -> { }));
        CountDownLatch told = new CountDownLatch(1);
        boolean[] result = {true};
        limit.acquireOrQueue(TimeUnit.MILLISECONDS.toNanos(50), got -> {
            result[0] = got;
            told.countDown();
        });
        assertTrue(told.await(10, TimeUnit.SECONDS));
        assertFalse(result[0]);
        assertEquals(0, limit.waiting());
        assertEquals(1, limit.inFlight(), "proceeding without a permit takes none");
    }

    @Test
    void aWithdrawnWaiterIsNeverTold() {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertNull(limit.acquireOrQueue(LONG, got -> { }));
        List<Boolean> told = new CopyOnWriteArrayList<>();
        ConcurrencyLimit.Waiter waiter = limit.acquireOrQueue(LONG, told::add);
        assertTrue(limit.withdraw(waiter));
        limit.release();
        assertEquals(List.of(), told);
        assertEquals(0, limit.inFlight());
        assertFalse(limit.withdraw(waiter));
    }

    @Test
    void aBlockingCallGetsThePermitGivenBack() throws Exception {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertTrue(limit.await(LONG, POLL, () -> false, () -> { throw new AssertionError("a free permit waits"); }));
        AtomicInteger queued = new AtomicInteger();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiting = blocking(limit, () -> false, queued, outcome);
        awaitQueued(limit);
        limit.release();
        waiting.join(10_000);
        assertEquals(Boolean.TRUE, outcome.get());
        assertEquals(1, queued.get());
        assertEquals(1, limit.inFlight(), "the permit went from one call to the other");
    }

    @Test
    void aBlockingCallCancelledWhileItWaitsGoesWithoutAPermit() throws Exception {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertNull(limit.acquireOrQueue(LONG, got -> { }));
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiting = blocking(limit, cancelled::get, new AtomicInteger(), outcome);
        awaitQueued(limit);
        cancelled.set(true);
        waiting.join(10_000);
        assertEquals(Boolean.FALSE, outcome.get());
        assertEquals(0, limit.waiting());
        limit.release();
        assertEquals(0, limit.inFlight(), "the cancelled call took no permit");
    }

    @Test
    void anInterruptedBlockingCallLeavesNoPermitTaken() throws Exception {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        assertNull(limit.acquireOrQueue(LONG, got -> { }));
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiting = blocking(limit, () -> false, new AtomicInteger(), outcome);
        awaitQueued(limit);
        waiting.interrupt();
        waiting.join(10_000);
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        assertEquals(0, limit.waiting());
        limit.release();
        assertEquals(0, limit.inFlight());
    }

    /** A thread blocked in {@code await}; its outcome is what it returned or threw (and whether still interrupted). */
    private static Thread blocking(ConcurrencyLimit limit, BooleanSupplier cancelled,
                                   AtomicInteger queued, AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(limit.await(LONG, POLL, cancelled, queued::incrementAndGet));
            } catch (InterruptedException e) {
                outcome.set(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt flag lost"));
            }
        });
        t.start();
        return t;
    }

    private static void awaitQueued(ConcurrencyLimit limit) throws InterruptedException {
        for (int i = 0; i < 1000 && limit.waiting() == 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, limit.waiting());
    }
}
