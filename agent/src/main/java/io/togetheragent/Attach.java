package io.togetheragent;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * {@code java -jar together-agent.jar attach <pid> [settings]}: loads the agent into a running JVM of the same
 * user, as {@code -javaagent} would have at start. Uses the JDK's attach API by reflection, so the jar stays Java 8
 * bytecode (on Java 8 the API is in the JDK's {@code lib/tools.jar}).
 */
public final class Attach {
    private static final String USAGE = "usage: java -jar together-agent.jar attach <pid> [settings]\n"
            + "  settings as for -javaagent, e.g. mode=observe,max-retries=3";

    private Attach() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !args[0].equals("attach")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String pid = args[1];
        String settings = args.length == 3 ? args[2] : "";
        try {
            String jar = new File(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            Class<?> vmClass = attachApi();
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            int javaVersion;
            try {
                javaVersion = javaVersion(vmClass, vm);
                Method load = vmClass.getMethod("loadAgent", String.class, String.class);
                load.invoke(vm, jar, settings);
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
            // A shared-limit URL's password is never shown, here as in the agent's log.
            String shown = io.togetheragent.core.settings.Setting.SHARED_LIMIT.shown(settings);
            System.out.println("together-agent loaded into JVM " + pid + (settings.isEmpty() ? "" : " with " + shown)
                    + "; its log lines go to that JVM's standard error (or its log-file)");
            if (javaVersion >= 21) {
                // Operators grep for WARNING: the JVM's lines, which name the agent, are not the agent's own.
                System.out.println("note: that JVM (Java " + javaVersion + ") writes four lines beginning"
                        + " \"WARNING: A Java agent has been loaded dynamically\" to its standard error, as Java 21 and"
                        + " later do for any agent loaded while the JVM runs (JEP 451), unless it was started with"
                        + " -XX:+EnableDynamicAgentLoading; they change nothing the agent does; -javaagent at start"
                        + " avoids them");
            }
        } catch (Exception e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            System.err.println("together-agent could not attach to JVM " + pid + ": " + cause);
            System.exit(1);
        }
    }

    /** The target JVM's Java version (8 for "1.8"), or 0 when it cannot be told: nothing is said then. */
    private static int javaVersion(Class<?> vmClass, Object vm) {
        try {
            java.util.Properties p = (java.util.Properties) vmClass.getMethod("getSystemProperties").invoke(vm);
            String version = p.getProperty("java.specification.version", "");
            return Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version);
        } catch (Exception | LinkageError unknown) {
            return 0;
        }
    }

    private static Class<?> attachApi() throws Exception {
        String name = "com.sun.tools.attach.VirtualMachine";
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException java8) {
            File tools = new File(System.getProperty("java.home"), "../lib/tools.jar");
            if (!tools.isFile()) {
                throw new ClassNotFoundException(name + ": run this with a JDK (not a JRE) of the same version as"
                        + " the target, or use: jcmd <pid> JVMTI.agent_load <path-to-jar> \"<settings>\"");
            }
            return Class.forName(name, true, new URLClassLoader(new URL[] {tools.toURI().toURL()}));
        }
    }
}
