package io.togetheragent.testapp;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Switches together-agent's mode through its JMX bean, as an operator would, for a benchmark's phases with and
 * without it in one JVM: the same JIT history, the same heap, where two JVMs differ by more than the agent costs.
 */
final class AgentSwitch {
    private AgentSwitch() {}

    private static final String AGENT = "together.agent:type=Agent";

    /** The agent's mode now, or null without the agent's bean (no agent). */
    static String mode() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName agent = new ObjectName(AGENT);
            return server.isRegistered(agent) ? (String) server.getAttribute(agent, "Mode") : null;
        } catch (JMException e) {
            throw new IllegalStateException("could not read the agent's mode", e);
        }
    }

    /** @param mode {@code off}, {@code observe} or {@code retry}; null, or without the agent's bean, nothing */
    static void to(String mode) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName agent = new ObjectName(AGENT);
            if (mode != null && server.isRegistered(agent)) {
                server.invoke(agent, "switchMode", new Object[] {mode}, new String[] {String.class.getName()});
            }
        } catch (JMException e) {
            throw new IllegalStateException("could not switch the agent to " + mode, e);
        }
    }
}
