package io.togetheragent.testapp;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
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

    /**
     * The agent's mode now, or null when this JVM runs without together-agent. The agent registers its beans on a
     * thread of its own once the platform MBean server is first opened (here, as likely as not), so its bean is
     * waited for, up to 10 s.
     */
    static String mode() throws InterruptedException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        boolean attached = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("together-agent"));
        try {
            ObjectName agent = new ObjectName(AGENT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (attached && !server.isRegistered(agent) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
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
