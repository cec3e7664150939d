package io.togetheragent.jmx;

/**
 * The agent as a JMX bean, {@code together.agent:type=Agent}: the counters of all Together hosts, the settings in
 * force, and operations that change them for the next request on.
 */
public interface AgentControlMBean extends CountersMBean {
    String getMode();

    String getHosts();

    int getMaxRetries();

    String getMaxWait();

    /** Every setting in force, as the start-up line shows them. */
    String getSettings();

    /** {@code retry}, {@code observe}, or {@code off} (pure pass-through from the next request on). */
    String switchMode(String mode);

    String changeMaxRetries(int maxRetries);

    /** A duration such as {@code 30s} or {@code 2m}. */
    String changeMaxWait(String maxWait);
}
