package io.togetheragent.jmx;

import io.togetheragent.bridge.Bridge;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import io.togetheragent.instrumentation.Modules;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;
import javax.management.MBeanServer;

/**
 * Not a client: the agent's one hook of its own, on {@code ManagementFactory.getPlatformMBeanServer()}, through
 * which the application, JConsole's or VisualVM's attach, and JMX exporters open the platform MBean server; the
 * agent's beans go there as soon as it is open (see {@link Jmx}).
 */
public final class JmxInstrumentation implements ClientInstrumentation {
    @Override
    public List<MethodHook> hooks(Instrumentation inst) throws ReflectiveOperationException {
        // java.management must be able to read the bridge, which the woven code calls. By its name: this runs as
        // ManagementFactory loads.
        Modules.addReads(inst, "java.management", Bridge.class);
        return Collections.singletonList(MethodHook.on("java.lang.management.ManagementFactory",
                "getPlatformMBeanServer").takesCount(0).atExit((server, origin, self, args) -> {
                    Jmx.opened((MBeanServer) server);
                    return server;
                }));
    }
}
