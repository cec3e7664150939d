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

    /** @param mode {@code off} or {@code retry}; without the agent's bean (no agent), nothing */
    static void to(String mode) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName agent = new ObjectName("together.agent:type=Agent");
            if (server.isRegistered(agent)) {
                server.invoke(agent, "switchMode", new Object[] {mode}, new String[] {String.class.getName()});
            }
        } catch (JMException e) {
            throw new IllegalStateException("could not switch the agent to " + mode, e);
        }
    }
}
