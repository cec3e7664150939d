package io.togetheragent.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.togetheragent.core.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
    /** Removed after each test: the settings files the tests write. */
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        RetryPolicy.install(new RetryPolicy(Settings.defaults()));
    }

    private static ConfigReload watch(Path file, String args) throws Exception {
        SettingsLoader.Result loaded = SettingsLoader.load(args + ",config=" + file, Map.of(), Map.of());
        RetryPolicy.install(new RetryPolicy(loaded.settings));
        return new ConfigReload(loaded.configFile, loaded.fileValues, loaded.aboveFile);
    }

    private static void write(Path file, String text) throws Exception {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appliesWhatChangedInTheFileOnly() throws Exception {
        Path file = dir.resolve("agent.properties");
        write(file, "max-retries=8\nmax-wait=30s\n");
        ConfigReload reload = watch(file, "hosts=example.invalid");
        RetryPolicy.change(Setting.MODE, "observe");
        write(file, "max-retries=3\nmax-wait=30s\n");
        reload.check();
        Settings now = RetryPolicy.current().settings();
        assertEquals(3, now.maxRetries());
        assertEquals(30_000, now.maxWaitMillis());
        // A change made over JMX to another setting stays.
        assertEquals(Mode.OBSERVE, now.mode());
        // A setting removed from the file goes back to its default.
        write(file, "max-wait=30s\n");
        reload.check();
        assertEquals(8, RetryPolicy.current().settings().maxRetries());
    }

    @Test
    void anInvalidFileKeepsTheLastGoodSettingsAndAFixedOneApplies() throws Exception {
        Path file = dir.resolve("agent.properties");
        write(file, "max-retries=2\n");
        ConfigReload reload = watch(file, "hosts=example.invalid");
        write(file, "max-retries=lots\nmax-wait=5s\n");
        reload.check();
        assertEquals(2, RetryPolicy.current().settings().maxRetries());
        assertEquals(60_000, RetryPolicy.current().settings().maxWaitMillis());
        write(file, "max-retries=4\nmax-wait=5s\n");
        reload.check();
        assertEquals(4, RetryPolicy.current().settings().maxRetries());
        assertEquals(5_000, RetryPolicy.current().settings().maxWaitMillis());
    }

    @Test
    void aSettingGivenAboveTheFileKeepsItsValue() throws Exception {
        Path file = dir.resolve("agent.properties");
        write(file, "max-retries=2\n");
        ConfigReload reload = watch(file, "max-retries=5");
        assertEquals(5, RetryPolicy.current().settings().maxRetries());
        write(file, "max-retries=1\n");
        reload.check();
        assertEquals(5, RetryPolicy.current().settings().maxRetries());
    }
}
