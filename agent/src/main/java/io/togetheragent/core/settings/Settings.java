package io.togetheragent.core.settings;

import io.togetheragent.core.Durations;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The agent's effective settings: immutable, read once at start. */
public final class Settings {
    private final Map<Setting, Object> values;
    private final Mode mode;
    private final HostMatcher hosts;
    private final Set<Integer> retryStatuses;
    /** The same statuses by number: asked of every answer, without boxing it. */
    private final boolean[] isRetryStatus = new boolean[600];
    private final int maxRetries;
    private final long maxWaitMillis;
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final boolean throttle;
    private final int maxConcurrent;
    private final int retryBudgetPercent;
    private final int maxReplayBytes;
    private final boolean keyCheck;
    private final boolean keyRepair;
    private final long summaryIntervalMillis;
    private final long configReloadIntervalMillis;
    private final io.togetheragent.core.shared.RedisUrl sharedLimit;
    private final long sharedLimitTimeoutMillis;
    private final String logLevel;
    private final String logFile;

    @SuppressWarnings("unchecked")
    Settings(Map<Setting, Object> values) {
        EnumMap<Setting, Object> v = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            v.put(s, values.containsKey(s) ? values.get(s) : s.defaultValue());
        }
        this.values = v;
        mode = (Mode) v.get(Setting.MODE);
        hosts = (HostMatcher) v.get(Setting.HOSTS);
        retryStatuses = (Set<Integer>) v.get(Setting.RETRY_STATUSES);
        for (Integer status : retryStatuses) {
            if (status >= 0 && status < isRetryStatus.length) {
                isRetryStatus[status] = true;
            }
        }
        maxRetries = (Integer) v.get(Setting.MAX_RETRIES);
        maxWaitMillis = (Long) v.get(Setting.MAX_WAIT);
        baseDelayMillis = (Long) v.get(Setting.BASE_DELAY);
        maxDelayMillis = (Long) v.get(Setting.MAX_DELAY);
        throttle = (Boolean) v.get(Setting.THROTTLE);
        maxConcurrent = (Integer) v.get(Setting.MAX_CONCURRENT);
        retryBudgetPercent = (Integer) v.get(Setting.RETRY_BUDGET);
        maxReplayBytes = (Integer) v.get(Setting.MAX_REPLAY_BYTES);
        keyCheck = (Boolean) v.get(Setting.KEY_CHECK);
        keyRepair = (Boolean) v.get(Setting.KEY_REPAIR);
        summaryIntervalMillis = (Long) v.get(Setting.SUMMARY_INTERVAL);
        configReloadIntervalMillis = (Long) v.get(Setting.CONFIG_RELOAD_INTERVAL);
        Object shared = v.get(Setting.SHARED_LIMIT);
        sharedLimit = shared instanceof io.togetheragent.core.shared.RedisUrl
                ? (io.togetheragent.core.shared.RedisUrl) shared : null;
        sharedLimitTimeoutMillis = (Long) v.get(Setting.SHARED_LIMIT_TIMEOUT);
        logLevel = (String) v.get(Setting.LOG_LEVEL);
        logFile = (String) v.get(Setting.LOG_FILE);
    }

    /**
     * These settings with one changed (at run time, over JMX).
     *
     * @throws IllegalArgumentException naming what is wrong with the value
     */
    public Settings with(Setting setting, String text) {
        EnumMap<Setting, Object> changed = new EnumMap<>(values);
        changed.put(setting, setting.parse(text));
        return new Settings(changed);
    }

    public static Settings defaults() {
        return new Settings(new EnumMap<Setting, Object>(Setting.class));
    }

    public Mode mode() {
        return mode;
    }

    public HostMatcher hosts() {
        return hosts;
    }

    public boolean isRetryStatus(int status) {
        return status >= 0 && status < isRetryStatus.length && isRetryStatus[status];
    }

    public int maxRetries() {
        return maxRetries;
    }

    public long maxWaitMillis() {
        return maxWaitMillis;
    }

    public long baseDelayMillis() {
        return baseDelayMillis;
    }

    public long maxDelayMillis() {
        return maxDelayMillis;
    }

    /** Whether sends wait out the server's cool-downs and are paced to its learned rate ({@code throttle=adaptive}). */
    public boolean throttle() {
        return throttle;
    }

    /** The most Together requests in flight at once in this JVM; 0 for no cap. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Retries allowed as a share of calls, in percent; -1 when the budget is off. */
    public int retryBudgetPercent() {
        return retryBudgetPercent;
    }

    /** The most body bytes kept to send again, for clients that stream the body as it is written. */
    public int maxReplayBytes() {
        return maxReplayBytes;
    }

    /** Whether requests' API keys and Together's answers about them are inspected. */
    public boolean keyCheck() {
        return keyCheck;
    }

    /** Whether whitespace and quotes around a key are removed before sending ({@code key-repair=trim}). */
    public boolean keyRepair() {
        return keyRepair;
    }

    public long summaryIntervalMillis() {
        return summaryIntervalMillis;
    }

    public long configReloadIntervalMillis() {
        return configReloadIntervalMillis;
    }

    /** The text of one setting's value, as {@link #describe()} shows it. */
    public String text(Setting setting) {
        for (String part : describe().split(", (?=[a-z-]+=)")) {
            if (part.startsWith(setting.key() + "=")) {
                return part.substring(setting.key().length() + 1);
            }
        }
        return String.valueOf(values.get(setting));
    }

    /** Where the lanes are shared with a fleet, or null for nowhere (each JVM paces alone). */
    public io.togetheragent.core.shared.RedisUrl sharedLimit() {
        return sharedLimit;
    }

    /** The most a request waits for Redis. */
    public long sharedLimitTimeoutMillis() {
        return sharedLimitTimeoutMillis;
    }

    public String logLevel() {
        return logLevel;
    }

    /** A file path, or {@code stderr}. */
    public String logFile() {
        return logFile;
    }

    private static String size(int bytes) {
        if (bytes != 0 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return bytes != 0 && bytes % 1024 == 0 ? (bytes >> 10) + "KiB" : String.valueOf(bytes);
    }

    /** The settings as one line for the start-up log: {@code mode=retry, hosts=..., ...}. */
    public String describe() {
        StringBuilder retry = new StringBuilder();
        for (Integer status : retryStatuses) {
            retry.append(retry.length() == 0 ? "" : ",").append(status);
        }
        return "mode=" + mode.label()
                + ", hosts=" + hosts
                + ", retry-statuses=" + retry
                + ", max-retries=" + maxRetries
                + ", max-wait=" + Durations.format(maxWaitMillis)
                + ", base-delay=" + Durations.format(baseDelayMillis)
                + ", max-delay=" + Durations.format(maxDelayMillis)
                + ", throttle=" + (throttle ? "adaptive" : "off")
                + ", max-concurrent=" + maxConcurrent
                + ", retry-budget=" + (retryBudgetPercent < 0 ? "off" : retryBudgetPercent + "%")
                + ", max-replay-bytes=" + size(maxReplayBytes)
                + ", key-check=" + (keyCheck ? "on" : "off")
                + ", key-repair=" + (keyRepair ? "trim" : "off")
                + ", config-reload-interval=" + Durations.format(configReloadIntervalMillis)
                + ", summary-interval=" + Durations.format(summaryIntervalMillis)
                + ", shared-limit=" + (sharedLimit == null ? "off" : sharedLimit.toString())
                + ", shared-limit-timeout=" + Durations.format(sharedLimitTimeoutMillis)
                + ", log-level=" + logLevel
                + ", log-file=" + logFile;
    }
}
