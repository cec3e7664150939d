package io.togetheragent.instrumentation;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Puts the bridge ({@code io.togetheragent.bridge}) into the boot loader without appending to the boot class path:
 * an append makes every JVM since Java 11 print "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" and turns class-data sharing off for all the application's classes.
 * The JDK's own {@code Unsafe.defineClass} with no loader defines a class in the boot loader; on Java 9+ it is in
 * {@code jdk.internal.misc}, which is exported for this to a loader of one class, {@link BootDefiner}, so the
 * application gains no access it did not have.
 */
public final class BootBridge {
    private static final String[] CLASSES = {"io.togetheragent.bridge.Hook", "io.togetheragent.bridge.Bridge"};
    private static final String DEFINER = "io.togetheragent.instrumentation.BootDefiner";

    private BootBridge() {}

    /** @throws Exception when this JVM offers no way to; nothing of the agent is then in the boot loader */
    /** @param agentJar where the bridge's class files are read from (straight, not through a class loader's URLs) */
    public static void define(Instrumentation inst, File agentJar) throws Exception {
        // Read here, not through FailOpen: nothing of the agent's core may load before it is known where it runs.
        if ("boot-bridge".equals(System.getProperty("together.agent.internal.fault"))) {
            throw new IllegalStateException("fault injected by together.agent.internal.fault=boot-bridge");
        }
        if (alreadyDefined()) {
            return;
        }
        byte[][] classes = new byte[CLASSES.length][];
        byte[] definerClass;
        try (JarFile jar = new JarFile(agentJar, false)) {
            for (int i = 0; i < CLASSES.length; i++) {
                classes[i] = AgentJar.classBytes(jar, "", CLASSES[i]);
            }
            definerClass = AgentJar.classBytes(jar, "", DEFINER);
        }
        Class<?> module;
        try {
            module = Class.forName("java.lang.Module");
        } catch (ClassNotFoundException java8) {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            BootDefiner.defineAll(theUnsafe.get(null), unsafeClass, CLASSES, classes);
            return;
        }
        Class<?> definer = new OneClassLoader().define(DEFINER, definerClass);
        Method getModule = Class.class.getMethod("getModule");
        Instrumentation.class.getMethod("redefineModule", module, Set.class, Map.class, Map.class, Set.class, Map.class)
                .invoke(inst, getModule.invoke(Object.class), Collections.emptySet(),
                        Collections.singletonMap("jdk.internal.misc", Collections.singleton(getModule.invoke(definer))),
                        Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        definer.getMethod("define", String[].class, byte[][].class).invoke(null, CLASSES, classes);
    }

    private static boolean alreadyDefined() {
        try {
            Class.forName(CLASSES[CLASSES.length - 1], false, null);
            return true;
        } catch (ClassNotFoundException notYet) {
            return false;
        }
    }

    private static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super(null);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length, (ProtectionDomain) null);
        }
    }
}
