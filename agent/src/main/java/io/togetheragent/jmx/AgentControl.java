package io.togetheragent.jmx;

import io.togetheragent.core.Durations;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.Setting;
import io.togetheragent.core.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The implementation of {@code together.agent:type=Agent}. */
public final class AgentControl extends Counters implements AgentControlMBean {
    private static final Logger log = LoggerFactory.getLogger(AgentControl.class);

    AgentControl() {
        super(Metrics.GLOBAL);
    }

    private static Settings settings() {
        return RetryPolicy.current().settings();
    }

    @Override
    public String getMode() {
        return settings().mode().label();
    }

    @Override
    public String getHosts() {
        return settings().hosts().toString();
    }

    @Override
    public int getMaxRetries() {
        return settings().maxRetries();
    }

    @Override
    public String getMaxWait() {
        return Durations.format(settings().maxWaitMillis());
    }

    @Override
    public String getSettings() {
        return settings().describe();
    }

    @Override
    public String switchMode(String mode) {
        return change(Setting.MODE, mode);
    }

    @Override
    public String changeMaxRetries(int maxRetries) {
        return change(Setting.MAX_RETRIES, String.valueOf(maxRetries));
    }

    @Override
    public String changeMaxWait(String maxWait) {
        return change(Setting.MAX_WAIT, maxWait);
    }

    /** The operator's tool gets the reason when a value is refused; the settings then stay as they were. */
    private static String change(Setting setting, String value) {
        String before = settings().describe();
        try {
            Settings now = RetryPolicy.change(setting, value);
            log.info("{} changed over JMX to '{}': {}", setting.key(), value, now.describe());
            return now.describe();
        } catch (IllegalArgumentException e) {
            log.warn("{} over JMX: '{}' refused ({}); unchanged: {}", setting.key(), value, e.getMessage(), before);
            throw new IllegalArgumentException(setting.key() + ": '" + value + "' refused: " + e.getMessage());
        }
    }
}
