package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
