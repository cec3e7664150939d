package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.pacing.Limit;
import io.togetheragent.core.pacing.LimitHeaders;
import io.togetheragent.core.settings.Settings;
import io.togetheragent.core.settings.SettingsLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
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
    void aLaneAskedForAgainIsTheLaneGivenBeforeWhateverWasAskedBetween() {
        Traffic traffic = new Traffic(Settings.defaults(), java.util.Collections.emptyMap());
        String[] keys = {"Bearer a", "Bearer b", null};
        String[] models = {"m1", "m2", null};
        String[] hosts = {"api.together.xyz", "API.together.xyz"};
        Map<String, Lane> given = new HashMap<>();
        Random random = new Random(18);
        for (int n = 0; n < 1000; n++) {
            String host = hosts[random.nextInt(hosts.length)];
            String key = keys[random.nextInt(keys.length)];
            String model = models[random.nextInt(models.length)];
            // A new string each time, as each request's headers and body make one.
            Lane lane = traffic.lane(host, key == null ? null : new String(key),
                    model == null ? null : new String(model));
            Lane before = given.putIfAbsent(key + "|" + model, lane);
            assertSame(before == null ? lane : before, lane, key + " " + model + " (host names differ in case only)");
        }
        assertEquals(9, given.values().stream().distinct().count());
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

    /** Issue 18: a key's calls may ride the lease of its only model's lane unread; which lane that is, if any. */
    @Test
    void aKeysOnlyModelLaneIsItsFirstUntilASecondBegins() {
        Traffic traffic = new Traffic(Settings.defaults(), java.util.Collections.emptyMap());
        String host = "api.together.xyz";
        assertNull(traffic.onlyModelLane(host, "Bearer k"));
        traffic.lane(host, "Bearer k", null);
        assertNull(traffic.onlyModelLane(host, "Bearer k"), "the key's own lane is no model's");
        Lane m = traffic.lane(host, "Bearer k", "m");
        assertSame(m, traffic.onlyModelLane(host, "Bearer k"));
        traffic.lane(host, "Bearer other", "x");
        traffic.lane("api.together.ai", "Bearer k", "y");
        assertSame(m, traffic.onlyModelLane(host, "Bearer k"), "another key's or host's models are theirs");
        traffic.lane(host, "Bearer k", "n");
        assertNull(traffic.onlyModelLane(host, "Bearer k"), "two models");
        assertSame(m, traffic.lane(host, "Bearer k", "m"));
        assertNull(traffic.onlyModelLane(host, "Bearer k"), "two models, whichever was asked last");
    }

    @Test
    void lanesSharedWithAFleetHaveNoOnlyModelLane() {
        Traffic traffic = new Traffic(
                SettingsLoader.load("shared-limit=redis://127.0.0.1:1", Map.of(), Map.of()).settings, Map.of());
        traffic.lane("api.together.xyz", "Bearer k", "m");
        assertNull(traffic.onlyModelLane("api.together.xyz", "Bearer k"));
    }

    private static void coolDown(Lane lane) {
        HeaderLookup h = name -> name.equals("x-ratelimit-reset") ? "5" : name.equals("x-ratelimit-limit") ? "10"
                : name.equals("x-ratelimit-remaining") ? "0" : null;
        lane.pace.answered(429, Limit.REQUESTS, LimitHeaders.from(h), -1, 0, 0, 0);
    }
}
