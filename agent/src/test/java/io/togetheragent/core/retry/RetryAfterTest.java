package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final long NOW = 1_800_000_000_000L;

    private static RetryAfter hint(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return RetryAfter.from(map::get, NOW);
    }

    @Test
    void millisecondsWinOverSecondsWhichWinOverTheReset() {
        RetryAfter h = hint("retry-after-ms", "250", "retry-after", "3", "x-ratelimit-reset", "9");
        assertEquals(250, h.millis);
        assertEquals("retry-after-ms", h.source);
        assertEquals(3000, hint("retry-after", "3", "x-ratelimit-reset", "9").millis);
        assertEquals("x-ratelimit-reset", hint("x-ratelimit-reset", "0.25").source);
        assertEquals(250, hint("x-ratelimit-reset", "0.25").millis);
    }

    @Test
    void fractionalSecondsAreRoundedUpNeverDown() {
        assertEquals(1201, hint("retry-after", "1.2001").millis);
        assertEquals(0, hint("retry-after", "0").millis);
    }

    @Test
    void anHttpDateCountsFromNow() {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(NOW + 30_000).atOffset(ZoneOffset.UTC));
        assertEquals(30_000, hint("retry-after", in30s).millis);
    }

    @Test
    void malformedHintsCountAsAbsent() {
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(NOW - 5_000).atOffset(ZoneOffset.UTC));
        assertNull(hint("retry-after", past));
        assertNull(hint("retry-after", "-1"));
        assertNull(hint("retry-after", "NaN"));
        assertNull(hint("retry-after", "Infinity"));
        assertNull(hint("retry-after", "soon"));
        assertNull(hint("retry-after", "1e3"));
        assertNull(hint("retry-after", "99999999999999"));
        assertNull(hint("retry-after-ms", ""));
        assertNull(hint("x-ratelimit-reset", "86400.001"));
        assertNull(hint());
    }

    @Test
    void aMalformedHintFallsThroughToTheNextHeader() {
        assertEquals(2000, hint("retry-after-ms", "later", "retry-after", "2").millis);
    }
}
