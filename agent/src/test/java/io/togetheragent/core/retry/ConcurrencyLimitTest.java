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
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {
    private static final long LONG = TimeUnit.MINUTES.toNanos(1);

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
}
