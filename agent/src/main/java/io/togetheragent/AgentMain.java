package io.togetheragent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It only puts the agent's jar on the boot class path and hands over;
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
            // The retry core must be visible from every class loader (the JDK's clients live in the boot loader,
            // OkHttp in whatever loader the application uses), so the whole agent is served from the boot loader.
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            // Loaded through the boot loader by name: this class itself came from the system loader.
            Class.forName("io.togetheragent.Agent", true, null)
                    .getMethod("start", String.class, Instrumentation.class, File.class)
                    .invoke(null, args, inst, jar);
        } catch (Throwable t) {
            System.err.println("[together-agent] ERROR the agent could not start, the application runs without it: "
                    + t);
        }
    }
}
