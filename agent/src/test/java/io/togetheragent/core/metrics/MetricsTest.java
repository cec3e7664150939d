package io.togetheragent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

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

        long before = Metrics.GLOBAL.requests.sum();
        Metrics.forHost("metrics-test.example").request();
        assertEquals(1, first.requests.sum());
        assertEquals(before + 1, Metrics.GLOBAL.requests.sum());
        assertEquals(first, Metrics.hosts().get("metrics-test.example"));
    }
}
