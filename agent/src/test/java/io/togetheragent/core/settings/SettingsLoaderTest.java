package io.togetheragent.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        SettingsLoader.Result r = SettingsLoader.load(null, Map.of(), Map.of());
        assertTrue(r.problems.isEmpty());
        assertEquals("mode=retry, hosts=api.together.xyz,api.together.ai,*.api.together.ai, retry-statuses=429,503,"
                + " max-retries=8, max-wait=1m, base-delay=500ms, max-delay=20s, throttle=adaptive, max-concurrent=0,"
                + " retry-budget=20%, max-replay-bytes=8MiB, key-check=on,"
                + " key-repair=off, config-reload-interval=30s, summary-interval=5m, shared-limit=off,"
                + " shared-limit-timeout=50ms, log-level=info, log-file=stderr",
                r.settings.describe());
    }

    @Test
    void agentArgumentsBeatSystemPropertiesWhichBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "max-retries=1\nmax-wait=1s\nbase-delay=1s\nmax-delay=1s\n");
        SettingsLoader.Result r = SettingsLoader.load("max-retries=4",
                Map.of("together.agent.config", file.toString(), "together.agent.max-retries", "3",
                        "together.agent.max-wait", "3s"),
                Map.of("TOGETHER_AGENT_MAX_RETRIES", "2", "TOGETHER_AGENT_MAX_WAIT", "2s",
                        "TOGETHER_AGENT_BASE_DELAY", "2s"));
        assertTrue(r.problems.isEmpty(), r.problems.toString());
        assertEquals(4, r.settings.maxRetries());
        assertEquals(3000, r.settings.maxWaitMillis());
        assertEquals(2000, r.settings.baseDelayMillis());
        assertEquals(1000, r.settings.maxDelayMillis());
    }

    @Test
    void theConfigFileMayBeNamedByTheEnvironmentAndUseFullNames() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "together.agent.mode=observe\n");
        SettingsLoader.Result r = SettingsLoader.load(null, Map.of(),
                Map.of("TOGETHER_AGENT_CONFIG", file.toString()));
        assertEquals(Mode.OBSERVE, r.settings.mode());
    }

    @Test
    void listValuesKeepTheirCommasInAgentArguments() {
        SettingsLoader.Result r = SettingsLoader.load("hosts=a.example,*.b.example:8443,retry-statuses=429,503,504,"
                + "mode=observe", Map.of(), Map.of());
        assertTrue(r.problems.isEmpty(), r.problems.toString());
        assertEquals("a.example,*.b.example:8443", r.settings.hosts().toString());
        assertTrue(r.settings.isRetryStatus(504));
        assertEquals(Mode.OBSERVE, r.settings.mode());
    }

    @Test
    void anInvalidValueNamesTheSettingTheValueAndTheDefaultUsed() {
        SettingsLoader.Result r = SettingsLoader.load("max-retries=lots,max-wait=60,mode=fast,hosts=https://x/,"
                + "retry-statuses=200", Map.of(), Map.of("TOGETHER_AGENT_LOG_LEVEL", "loud"));
        assertEquals(6, r.problems.size(), r.problems.toString());
        assertTrue(r.problems.contains("invalid value 'lots' for setting 'max-retries' (expected a whole number);"
                + " using the default '8'"), r.problems.toString());
        assertTrue(r.problems.stream().anyMatch(p -> p.contains("'60' for setting 'max-wait'") && p.endsWith("'60s'")),
                r.problems.toString());
        assertEquals(8, r.settings.maxRetries());
        assertEquals(60_000, r.settings.maxWaitMillis());
        assertEquals(Mode.RETRY, r.settings.mode());
        assertTrue(r.settings.hosts().matches("api.together.xyz", 443));
        assertTrue(r.settings.isRetryStatus(429));
        assertEquals("info", r.settings.logLevel());
    }

    @Test
    void sizesTakeBytesKibibytesOrMebibytes() {
        assertEquals(65536,
                SettingsLoader.load("max-replay-bytes=65536", Map.of(), Map.of()).settings.maxReplayBytes());
        assertEquals(512 * 1024, SettingsLoader.load("max-replay-bytes=512KiB", Map.of(), Map.of()).settings
                .maxReplayBytes());
        SettingsLoader.Result bad = SettingsLoader.load("max-replay-bytes=lots", Map.of(), Map.of());
        assertEquals(8 << 20, bad.settings.maxReplayBytes());
        assertEquals(1, bad.problems.size());
    }

    @Test
    void unknownNamesAndMissingFilesAreReportedNotFatal() {
        SettingsLoader.Result r = SettingsLoader.load("oops,max-retry=3", Map.of("together.agent.config",
                dir.resolve("missing.properties").toString()), Map.of());
        assertEquals(3, r.problems.size(), r.problems.toString());
        assertTrue(r.problems.stream().anyMatch(p -> p.contains("unknown setting 'max-retry'")));
        assertTrue(r.problems.stream().anyMatch(p -> p.contains("'oops' is not name=value")));
        assertTrue(r.problems.stream().anyMatch(p -> p.startsWith("cannot read config file")));
        assertEquals(8, r.settings.maxRetries());
    }

    @Test
    void environmentNamesFollowTheRule() {
        assertEquals("TOGETHER_AGENT_RETRY_STATUSES", Setting.RETRY_STATUSES.envName());
        assertEquals("together.agent.retry-statuses", Setting.RETRY_STATUSES.propertyName());
        assertFalse(SettingsLoader.load(null, Map.of(), Map.of("TOGETHER_AGENT_MODE", "off")).settings.mode()
                == Mode.RETRY);
    }
}
