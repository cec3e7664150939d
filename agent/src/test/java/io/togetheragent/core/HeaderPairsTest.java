package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HeaderPairsTest {
    @Test
    void collectedHeadersKeepTheirOrderPastTheFirstRoom() {
        HeaderPairs.Collector collector = new HeaderPairs.Collector();
        for (int i = 0; i < 40; i++) {
            collector.accept("h" + i, "v" + i);
        }
        collector.accept("X-RateLimit-Remaining", "7");
        HeaderPairs headers = collector.collected();
        assertEquals(41, headers.count());
        assertEquals("h39", headers.name(39));
        assertEquals("v39", headers.value(39));
        assertEquals("7", headers.get("x-ratelimit-remaining"));
        assertNull(headers.get("retry-after"));
    }
}
