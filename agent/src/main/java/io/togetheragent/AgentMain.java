package io.togetheragent;

import io.togetheragent.instrumentation.BootBridge;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It puts the bridge that woven code calls into the boot loader and hands over;
 * it never throws into the JVM: whatever fails, the application starts without the agent.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        try {
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
                    .getMethod("start", String.class, Instrumentation.class, File.class)
                    .invoke(null, args, inst, jar);
        } catch (Throwable t) {
            System.err.println("[together-agent] ERROR the agent could not start, the application runs without it: "
                    + t);
        }
    }
}
