package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesTheThreeUnits() {
        assertEquals(500, Durations.parseMillis("500ms"));
        assertEquals(1500, Durations.parseMillis("1.5s"));
        assertEquals(120_000, Durations.parseMillis(" 2M "));
    }

    @Test
    void refusesNumbersWithoutAUnitAndNonsense() {
        assertEquals(-1, Durations.parseMillis("60"));
        assertEquals(-1, Durations.parseMillis("-1s"));
        assertEquals(-1, Durations.parseMillis("1h"));
        assertEquals(-1, Durations.parseMillis("99999999999m"));
    }

    @Test
    void formatsShortest() {
        assertEquals("1m", Durations.format(60_000));
        assertEquals("20s", Durations.format(20_000));
        assertEquals("1500ms", Durations.format(1500));
        assertEquals("1.20 s", Durations.seconds(1_200_000_000L));
    }

    /** Jetty takes a timeout in whole milliseconds, 0 meaning none: what is left is rounded up, never to 0. */
    @Test
    void millisLeftRoundsUpAndIsNeverZero() {
        long now = System.nanoTime();
        assertEquals(1, Durations.millisLeft(now - 1_000_000));
        assertEquals(1, Durations.millisLeft(now + 400_000));
        long left = Durations.millisLeft(System.nanoTime() + 5_000_000_000L);
        assertTrue(left > 4_900 && left <= 5_000, String.valueOf(left));
    }
}
