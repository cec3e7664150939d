package io.togetheragent.core.retry;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.settings.Mode;
import io.togetheragent.core.settings.Setting;
import io.togetheragent.core.settings.Settings;

/**
 * The entry point every client adapter calls: is this request Together traffic, and if so, a {@link CallRetry}
 * to steer its attempts. Knows nothing about any HTTP client.
 */
public final class RetryPolicy {
    private static volatile RetryPolicy current = new RetryPolicy(Settings.defaults());

    private final Settings settings;
    private final KeyCheck keys;
    private final Traffic traffic;

    public RetryPolicy(Settings settings) {
        this(settings, System.getenv());
    }

    public RetryPolicy(Settings settings, java.util.Map<String, String> environment) {
        this(settings, new KeyCheck(settings, environment), new Traffic(settings, environment));
    }

    private RetryPolicy(Settings settings, KeyCheck keys, Traffic traffic) {
        this.settings = settings;
        this.keys = keys;
        this.traffic = traffic;
    }

    /**
     * Changes one setting for the next request on: installs a policy with it, keeping what the key check found.
     *
     * @return the settings now in force
     * @throws IllegalArgumentException naming what is wrong with the value; nothing changes then
     */
    public static synchronized Settings change(Setting setting, String text) {
        return replace(current.settings.with(setting, text));
    }

    /**
     * Puts these settings in force for the next request on, keeping what the key check found and what was learnt
     * about the traffic (paces, cool-downs, budgets).
     */
    public static synchronized Settings replace(Settings changed) {
        RetryPolicy old = current;
        old.keys.use(changed);
        old.traffic.use(changed);
        current = new RetryPolicy(changed, old.keys, old.traffic);
        return changed;
    }

    public static RetryPolicy current() {
        return current;
    }

    public static void install(RetryPolicy policy) {
        current = policy;
    }

    public Settings settings() {
        return settings;
    }

    public KeyCheck keys() {
        return keys;
    }

    /**
     * Whether a request to this host would be steered now: for adapters that decide when a call is put together,
     * before it is sent, whether to take it in hand at all ({@link #begin} still decides for each send).
     */
    public boolean steers(String host, int port) {
        try {
            return settings.mode() != Mode.OFF && settings.hosts().matches(host, port);
        } catch (Throwable t) {
            FailOpen.report("the retry policy", t);
            return false;
        }
    }

    /**
     * Starts steering one call, or returns null when the agent leaves it alone (not a Together host, agent off,
     * or the agent failed — then it has said so once).
     *
     * @param whyNotReplayable null when the request body can be sent again byte for byte, else why not, for the
     *     log: "its request body can be sent only once"
     * @param deadlineNanos the call's own deadline on {@link System#nanoTime()}'s clock, or {@link Long#MAX_VALUE}
     * @param authorization the request's Authorization header as the application set it, or null when absent
     * @param repairable whether the adapter sends the repaired key ({@link CallRetry#repairedAuthorization()}) in
     *     place of the application's
     */
    public CallRetry begin(String method, String host, int port, String path, String whyNotReplayable,
                           long deadlineNanos, String authorization, boolean repairable) {
        try {
            FailOpen.injectFault("begin");
            if (settings.mode() == Mode.OFF || !settings.hosts().matches(host, port)) {
                return null;
            }
            Metrics metrics = Metrics.forHost(host);
            metrics.request();
            keys.beforeSend(authorization, repairable, metrics);
            return new CallRetry(settings, keys, metrics, traffic, method, host, path, whyNotReplayable,
                    deadlineNanos, authorization);
        } catch (Throwable t) {
            FailOpen.report("the retry policy", t);
            return null;
        }
    }
}
