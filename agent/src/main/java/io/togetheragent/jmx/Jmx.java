package io.togetheragent.jmx;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.retry.Lane;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the agent's JMX beans: {@code together.agent:type=Agent} and one {@code together.agent:type=Host,host=…}
 * per Together host. Not at start: the platform MBean server starts {@code java.util.logging}, and doing that
 * before the application installs its own log manager (JBoss, WildFly) breaks it. The beans appear when the first
 * Together request is seen, registered from the agent's own thread.
 */
public final class Jmx {
    public static final String AGENT = "together.agent:type=Agent";
    private static final AtomicBoolean agentRegistered = new AtomicBoolean();

    private Jmx() {}

    /** A host counted for the first time gets its bean (and the first one the agent's), from the agent's thread. */
    public static void hostSeen(String host) {
        Scheduler.schedule(() -> register(host), 0);
    }

    /** A model's lane gets its bean: {@code together.agent:type=Lane,host=…,key=…,model=…}. */
    public static void laneSeen(Lane lane) {
        Scheduler.schedule(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(new LaneState(lane), new ObjectName(
                        "together.agent:type=Lane,host=" + value(lane.host) + ",key=" + value(lane.keyName)
                                + ",model=" + value(lane.model)));
            } catch (Throwable t) {
                FailOpen.report("registering the JMX bean of a lane", t);
            }
        }, 0);
    }

    private static String value(String text) {
        return text.matches("[A-Za-z0-9._-]+") ? text : ObjectName.quote(text);
    }

    private static void register(String host) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (agentRegistered.compareAndSet(false, true)) {
                server.registerMBean(new AgentControl(), new ObjectName(AGENT));
            }
            server.registerMBean(new Counters(Metrics.forHost(host)),
                    new ObjectName("together.agent:type=Host,host=" + value(host)));
        } catch (Throwable t) {
            FailOpen.report("registering the agent's JMX beans", t);
        }
    }
}
