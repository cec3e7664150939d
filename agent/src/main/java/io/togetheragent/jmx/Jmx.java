package io.togetheragent.jmx;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.retry.Lane;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers the agent's JMX beans: {@code together.agent:type=Agent}, one {@code together.agent:type=Host,host=…}
 * per Together host and one per model's lane, from the agent's own thread. Not at start: the platform MBean server
 * starts {@code java.util.logging}, and doing that before the application installs its own log manager (JBoss,
 * WildFly) breaks it. Nor does the agent ever open the platform MBean server itself (some 350 classes, a fifth of
 * a second of CPU): its beans are registered once a Together request was seen and someone opened the server — the
 * application, JConsole or VisualVM attaching, a JMX exporter ({@link JmxInstrumentation} hears of it) — or had
 * opened it already.
 */
public final class Jmx {
    public static final String AGENT = "together.agent:type=Agent";

    /**
     * Guarded by Jmx.class: the beans waiting for a server, each with what makes its name (a lane's holds its key's
     * hash, not worked out until a server is there to show it); null once one is open.
     */
    private static List<Object[]> waiting = new ArrayList<>();
    private static MBeanServer server;
    private static boolean agentAdded;

    private Jmx() {}

    /** A host counted for the first time gets its bean (and the first one the agent's). */
    public static void hostSeen(String host) {
        boolean first;
        synchronized (Jmx.class) {
            first = !agentAdded;
            agentAdded = true;
        }
        // Outside the lock: scheduling may park this thread (the application's, in its call) on the scheduler's
        // queue, and a virtual thread parked holding a monitor pins its carrier.
        if (first) {
            add(new AgentControl(), () -> AGENT);
            // Opened before the agent's hook was woven in, perhaps: then it is there to be found.
            Scheduler.schedule(Jmx::findOpened, 0);
        }
        add(new Counters(Metrics.forHost(host)), () -> "together.agent:type=Host,host=" + value(host));
    }

    /** A model's lane gets its bean: {@code together.agent:type=Lane,host=…,key=…,model=…}. */
    public static void laneSeen(Lane lane) {
        add(new LaneState(lane), () -> "together.agent:type=Lane,host=" + value(lane.host) + ",key="
                + value(lane.keyName()) + ",model=" + value(lane.model));
    }

    /** Whoever opens the platform MBean server, the agent's beans go there (said by the hook on every open). */
    public static void opened(MBeanServer platform) {
        List<Object[]> beans;
        synchronized (Jmx.class) {
            if (server != null || platform == null) {
                return;
            }
            server = platform;
            beans = waiting;
            waiting = null;
        }
        for (Object[] bean : beans) {
            register(platform, bean);
        }
    }

    private static void findOpened() {
        try {
            if (!MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                opened(ManagementFactory.getPlatformMBeanServer());
            }
        } catch (Throwable t) {
            FailOpen.report("looking for the JMX server", t);
        }
    }

    private static void add(Object bean, Supplier<String> name) {
        Object[] named = {bean, name};
        MBeanServer open;
        synchronized (Jmx.class) {
            open = server;
            if (open == null) {
                waiting.add(named);
                return;
            }
        }
        register(open, named);
    }

    private static void register(MBeanServer to, Object[] named) {
        Scheduler.schedule(() -> {
            try {
                @SuppressWarnings("unchecked")
                ObjectName name = name(((Supplier<String>) named[1]).get());
                if (!to.isRegistered(name)) {
                    to.registerMBean(named[0], name);
                }
            } catch (Throwable t) {
                FailOpen.report("registering the agent's JMX beans", t);
            }
        }, 0);
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static String value(String text) {
        return text.matches("[A-Za-z0-9._-]+") ? text : ObjectName.quote(text);
    }
}
