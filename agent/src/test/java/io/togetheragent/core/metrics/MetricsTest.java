package io.togetheragent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.togetheragent.core.pacing.Limit;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /** The last host asked for is kept as asked: asking again in another case, or after another host, is the same. */
    @Test
    void aHostIsCountedInOneMetricsWhateverItsCaseAndWhateverWasAskedBetween() {
        Metrics first = Metrics.forHost("Metrics-Test.Example");
        assertSame(first, Metrics.forHost("Metrics-Test.Example"));
        assertSame(first, Metrics.forHost("metrics-test.example"));
        Metrics other = Metrics.forHost("other.metrics-test.example");
        assertNotSame(first, other);
        assertSame(first, Metrics.forHost("METRICS-TEST.EXAMPLE"));
        assertSame(other, Metrics.forHost("other.metrics-test.example"));
        assertSame(Metrics.forHost(null), Metrics.forHost("(unknown)"));

        long before = Metrics.GLOBAL.requestCount();
        Metrics.forHost("metrics-test.example").request();
        assertEquals(1, first.requestCount());
        assertEquals(before + 1, Metrics.GLOBAL.requestCount());
        assertEquals(first, Metrics.hosts().get("metrics-test.example"));
    }

    /** Counted once, into the host: the totals add up the hosts when read. */
    @Test
    void theTotalsAreTheSumsOfTheHostsCounts() {
        Metrics a = Metrics.forHost("a.totals.metrics-test.example");
        Metrics b = Metrics.forHost("b.totals.metrics-test.example");
        long requests = Metrics.GLOBAL.requestCount();
        long rateLimited = Metrics.GLOBAL.rateLimitedCount();
        long tokenLimited = Metrics.GLOBAL.tokenLimitedCount();
        long waited = Metrics.GLOBAL.waitedNanos();
        a.request();
        b.request();
        b.request();
        a.status(429, Limit.TOKENS);
        b.status(429, Limit.REQUESTS);
        a.retry(5);
        b.heldBack(7);
        assertEquals(1, a.requestCount());
        assertEquals(2, b.requestCount());
        assertEquals(requests + 3, Metrics.GLOBAL.requestCount());
        assertEquals(rateLimited + 2, Metrics.GLOBAL.rateLimitedCount());
        assertEquals(tokenLimited + 1, Metrics.GLOBAL.tokenLimitedCount());
        assertEquals(0, b.tokenLimitedCount());
        assertEquals(waited + 12, Metrics.GLOBAL.waitedNanos());
        assertEquals(5, a.waitedNanos());
    }
}
