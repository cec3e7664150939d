package io.togetheragent;

import io.togetheragent.instrumentation.BootBridge;
import io.togetheragent.instrumentation.StartGate;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It puts the bridge that woven code calls into the boot loader and hands over,
 * on a thread of its own when the agent starts with the JVM; it never throws into the JVM: whatever fails, the
 * application starts without the agent.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void premain(String args, Instrumentation inst) {
        StartGate gate;
        try {
            gate = new StartGate(inst);
            inst.addTransformer(gate, true);
        } catch (Throwable t) {
            start(args, inst, null);
            return;
        }
        // The start (some 50 ms of class loading) runs beside the application's own; the gate holds back only the
        // classes the agent hooks until it is done.
        Thread starting = new Thread(() -> {
            try {
                start(args, inst, gate);
            } finally {
                gate.startEnded();
            }
        }, "together-agent-start");
        starting.setDaemon(true);
        gate.startsOn(starting);
        try {
            starting.start();
        } catch (Throwable t) {
            gate.startEnded();
            couldNotStart(t);
        }
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, null);
    }

    private static void start(String args, Instrumentation inst, StartGate gate) {
        try {
            if (gate != null && "slow-start".equals(System.getProperty("together.agent.internal.fault"))) {
                // For the tests: a start slower than the application's first call.
                Thread.sleep(2_000);
            }
            File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ClassLoader agentLoader = AgentMain.class.getClassLoader();
            try {
                BootBridge.define(inst, jar);
            } catch (Throwable t) {
                // The old way: the whole agent served from the boot class path, where the bridge is found too.
                // It works on every JDK, but the JVM then warns that class-data sharing is off.
                System.err.println("[together-agent] WARN the bridge could not be put into the boot loader (" + t
                        + "); the agent's jar is appended to the boot class path instead");
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
                agentLoader = null;
            }
            Class.forName("io.togetheragent.Agent", true, agentLoader)
                    .getMethod("start", String.class, Instrumentation.class, File.class, Consumer.class)
                    .invoke(null, args, inst, jar, gate);
        } catch (Throwable t) {
            couldNotStart(t);
        }
    }

    private static void couldNotStart(Throwable t) {
        System.err.println("[together-agent] ERROR the agent could not start, the application runs without it: " + t);
    }
}
