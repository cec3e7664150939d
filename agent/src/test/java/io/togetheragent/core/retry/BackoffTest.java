package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long MS = 1_000_000L;

    @Test
    void exponentialStaysUnderItsCapAndTheMaxDelay() {
        for (int i = 0; i < 2_000; i++) {
            assertTrue(Backoff.exponential(1, 500, 20_000) < 500 * MS);
            assertTrue(Backoff.exponential(3, 500, 20_000) < 2_000 * MS);
            assertTrue(Backoff.exponential(60, 500, 20_000) < 20_000 * MS);
            assertTrue(Backoff.exponential(2, 500, 300) < 300 * MS);
        }
    }

    @Test
    void exponentialIsSpreadOverTheWholeRange() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long d = Backoff.exponential(4, 500, 20_000);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < 400 * MS && max > 3_600 * MS, min + " .. " + max);
    }

    @Test
    void aHintIsWaitedOneToOnePointTwoTimes() {
        HashMap<String, String> headers = new HashMap<>();
        headers.put("retry-after", "2");
        RetryAfter hint = RetryAfter.from(headers::get, 0);
        for (int i = 0; i < 2_000; i++) {
            long d = Backoff.hinted(hint);
            assertTrue(d >= 2_000 * MS && d <= 2_400 * MS, String.valueOf(d));
        }
    }
}
