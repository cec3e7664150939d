package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static int retriesAllowed(RetryBudget budget, long now, int percent) {
        int n = 0;
        while (n < 10_000 && budget.tryRetry(now, percent)) {
            n++;
        }
        return n;
    }

    @Test
    void retriesAreAShareOfCallsPlusAFloor() {
        RetryBudget budget = new RetryBudget();
        for (int i = 0; i < 100; i++) {
            budget.callBegun(5 * SECOND + i);
        }
        assertEquals(RetryBudget.FLOOR + 20, retriesAllowed(budget, 5 * SECOND, 20));
        assertEquals("30 retries for 100 calls in the last 10s", budget.describe(6 * SECOND));
    }

    @Test
    void theWindowSlides() {
        RetryBudget budget = new RetryBudget();
        assertEquals(RetryBudget.FLOOR, retriesAllowed(budget, 100 * SECOND, 20));
        assertFalse(budget.tryRetry(109 * SECOND, 20), "still in the window");
        assertTrue(budget.tryRetry(110 * SECOND, 20), "the spent second has left the window");
    }

    @Test
    void offAllowsEveryRetry() {
        assertEquals(10_000, retriesAllowed(new RetryBudget(), 0, -1));
    }

    @Test
    void theRefusalIsSaidOncePerWindow() {
        RetryBudget budget = new RetryBudget();
        assertTrue(budget.firstRefusalOfWindow(SECOND));
        assertFalse(budget.firstRefusalOfWindow(5 * SECOND));
        assertTrue(budget.firstRefusalOfWindow(11 * SECOND));
    }
}
