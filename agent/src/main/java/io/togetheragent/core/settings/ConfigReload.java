package io.togetheragent.core.settings;

import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.logging.LogOutput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up changes to the settings file within {@code config-reload-interval}. Only what changed in the file is
 * applied, so a change made over JMX to another setting stays; a setting also given by a source above the file
 * (agent argument, system property, environment) keeps that value, as at start. A file with an invalid value is
 * not applied at all: the last good settings stay, and the operator is told why, once per version of the file.
 */
public final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);
    private static final long TICK_MILLIS = 1000;

    private final String file;
    private final Set<Setting> aboveFile;
    /** The file's values last applied. */
    private Map<String, String> applied;
    /** The file's values last seen, applied or refused: each version is judged once. */
    private Map<String, String> seen;
    private String lastError;
    private long lastCheckNanos = System.nanoTime();

    ConfigReload(String file, Map<String, String> fileValues, Set<Setting> aboveFile) {
        this.file = file;
        this.applied = new LinkedHashMap<>(fileValues);
        this.seen = applied;
        this.aboveFile = aboveFile;
    }

    /** Watches the settings file, when one was named. */
    public static void start(SettingsLoader.Result loaded) {
        if (loaded.configFile == null) {
            return;
        }
        ConfigReload reload = new ConfigReload(loaded.configFile, loaded.fileValues, loaded.aboveFile);
        Scheduler.every(TICK_MILLIS, "reloading the config file", reload::tick);
    }

    private void tick() {
        long interval = RetryPolicy.current().settings().configReloadIntervalMillis();
        long now = System.nanoTime();
        if (TimeUnit.NANOSECONDS.toMillis(now - lastCheckNanos) + TICK_MILLIS / 2 < interval) {
            return;
        }
        lastCheckNanos = now;
        check();
    }

    /** Reads the file and applies what changed in it; package-private for the tests. */
    void check() {
        Map<String, String> now;
        try {
            now = SettingsLoader.readFile(file);
        } catch (Exception e) {
            String error = e.toString();
            if (!error.equals(lastError)) {
                log.warn("config file '{}' cannot be read ({}); the settings in force stay", file, error);
                lastError = error;
            }
            return;
        }
        lastError = null;
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        Settings before = RetryPolicy.current().settings();
        Settings after = before;
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> keys = new HashSet<>(applied.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            String value = now.get(key);
            if (Objects.equals(value, applied.get(key)) || key.equals(SettingsLoader.CONFIG_KEY)) {
                continue;
            }
            Setting setting = Setting.byKey(key);
            if (setting == null) {
                problems.add("unknown setting '" + key + "'");
            } else if (aboveFile.contains(setting)) {
                notes.add(key + " is also set above the file (agent argument, system property or environment),"
                        + " which wins");
            } else {
                try {
                    after = after.with(setting, value == null ? setting.defaultText() : value);
                } catch (IllegalArgumentException e) {
                    problems.add("invalid value '" + setting.shown(value) + "' for setting '" + key + "' ("
                            + e.getMessage() + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            log.warn("config file '{}' changed, but {}; the last good settings stay in force", file,
                    String.join("; ", problems));
            return;
        }
        applied = now;
        for (String note : notes) {
            log.info("config file '{}': {}", file, note);
        }
        String diff = diff(before, after);
        if (!diff.isEmpty()) {
            RetryPolicy.replace(after);
            if (!before.logLevel().equals(after.logLevel()) || !before.logFile().equals(after.logFile())) {
                String problem = LogOutput.configure(after.logLevel(), after.logFile());
                if (problem != null) {
                    log.error(problem);
                }
            }
            log.info("config file '{}' changed: {}", file, diff);
        }
    }

    private static String diff(Settings before, Settings after) {
        List<String> changes = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String was = before.text(s);
            String is = after.text(s);
            if (!was.equals(is)) {
                changes.add(s.key() + " " + was + " -> " + is);
            }
        }
        return String.join(", ", changes);
    }
}
