package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.pacing.Limit;
import io.togetheragent.core.pacing.LimitHeaders;
import io.togetheragent.core.settings.Settings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrafficTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void oneKeysLimitNeverSlowsAnother() {
        Traffic traffic = new Traffic(Settings.defaults(), java.util.Collections.emptyMap());
        coolDown(traffic.lane("api.together.xyz", "Bearer a", null));
        assertTrue(traffic.lane("api.together.xyz", "Bearer a", null).pace.book(0, Long.MAX_VALUE, 0) >= 5 * S);
        assertEquals(0, traffic.lane("api.together.xyz", "Bearer b", null).pace.book(0, 0, 0));
        assertEquals(0, traffic.lane("api.together.ai", "Bearer a", null).pace.book(0, 0, 0));
    }

    /** Issue 14: Together limits each model apart; so does the agent. */
    @Test
    void oneModelsLimitNeverSlowsAnother() {
        Traffic traffic = new Traffic(Settings.defaults(), java.util.Collections.emptyMap());
        Lane a = traffic.lane("api.together.xyz", "Bearer k", "model-a");
        assertSame(a, traffic.lane("API.together.xyz", "Bearer k", "model-a"));
        coolDown(a);
        assertTrue(a.pace.book(0, Long.MAX_VALUE, 0) >= 5 * S);
        Lane b = traffic.lane("api.together.xyz", "Bearer k", "model-b");
        assertNotSame(a, b);
        assertEquals(0, b.pace.book(0, 0, 0));
        assertEquals(0, traffic.lane("api.together.xyz", "Bearer k", null).pace.book(0, 0, 0),
                "the key's own lane, for requests whose model is not known");
    }

    @Test
    void aBodyNamingANewModelEachTimeDoesNotGrowTheLanesWithoutEnd() {
        Traffic traffic = new Traffic(Settings.defaults(), java.util.Collections.emptyMap());
        Lane keys = traffic.lane("api.together.xyz", "Bearer k", null);
        for (int i = 1; i < Traffic.MAX_LANES; i++) {
            assertNotSame(keys, traffic.lane("api.together.xyz", "Bearer k", "model-" + i));
        }
        assertSame(keys, traffic.lane("api.together.xyz", "Bearer k", "one-too-many"));
        assertNotSame(keys, traffic.lane("api.together.xyz", "Bearer k", "model-1"), "known models keep their lanes");
    }

    private static void coolDown(Lane lane) {
        HeaderLookup h = name -> name.equals("x-ratelimit-reset") ? "5" : name.equals("x-ratelimit-limit") ? "10"
                : name.equals("x-ratelimit-remaining") ? "0" : null;
        lane.pace.answered(429, Limit.REQUESTS, LimitHeaders.from(h), -1, 0, 0, 0);
    }
}
