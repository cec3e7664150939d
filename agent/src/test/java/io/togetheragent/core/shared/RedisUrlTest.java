package io.togetheragent.core.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.settings.Setting;
import io.togetheragent.core.settings.SettingsLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisUrlTest {
    @Test
    void readsEveryPartOfTheUrl() {
        RedisUrl url = RedisUrl.parse("rediss://agent:p%40ss@redis.internal:6380/3");
        assertTrue(url.tls);
        assertEquals("agent", url.user);
        assertEquals("p@ss", url.password);
        assertEquals("redis.internal", url.host);
        assertEquals(6380, url.port);
        assertEquals(3, url.database);
    }

    @Test
    void thePortAndDatabaseHaveDefaultsAndAPasswordNeedsNoUser() {
        RedisUrl url = RedisUrl.parse("redis://:secret@10.0.0.5");
        assertFalse(url.tls);
        assertNull(url.user);
        assertEquals("secret", url.password);
        assertEquals(6379, url.port);
        assertEquals(0, url.database);
        assertEquals("::1", RedisUrl.parse("redis://[::1]:7000").host);
    }

    @Test
    void thePasswordComesFromTheEnvironmentWhereTheUrlHasNone() {
        Map<String, String> env = Map.of(RedisUrl.PASSWORD_ENV, "fromEnv");
        assertEquals("fromEnv", RedisUrl.parse("redis://host:1").withPasswordFrom(env).password);
        assertEquals("own", RedisUrl.parse("redis://:own@host:1").withPasswordFrom(env).password);
    }

    @Test
    void thePasswordIsNeverShown() {
        assertEquals("redis://agent:***@h:1/2", RedisUrl.parse("redis://agent:hunter2@h:1/2").toString());
        assertEquals("redis://:***@h:6379", RedisUrl.parse("redis://hunter2@h").toString());
        SettingsLoader.Result loaded = SettingsLoader.load("shared-limit=redis://agent:hunter2@h:1", Map.of(),
                Map.of());
        assertFalse(loaded.settings.describe().contains("hunter2"), loaded.settings.describe());
        assertTrue(loaded.settings.describe().contains("shared-limit=redis://agent:***@h:1"));
    }

    /** An invalid value is named in the log line, its password hidden; the default (off) is used. */
    @Test
    void anInvalidUrlIsReportedWithoutItsPassword() {
        SettingsLoader.Result loaded = SettingsLoader.load("shared-limit=http://agent:hunter2@h:1", Map.of(),
                Map.of());
        assertNull(loaded.settings.sharedLimit());
        assertEquals(1, loaded.problems.size(), loaded.problems.toString());
        String problem = loaded.problems.get(0);
        assertFalse(problem.contains("hunter2"), problem);
        assertTrue(problem.contains("'http://***@h:1' for setting 'shared-limit'") && problem.contains("'off'"),
                problem);
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://h:99999"));
        assertEquals("off", Setting.SHARED_LIMIT.defaultText());
    }
}
