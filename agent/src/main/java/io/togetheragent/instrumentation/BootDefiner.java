package io.togetheragent.instrumentation;

import java.lang.reflect.Method;
import java.security.ProtectionDomain;

/**
 * Defines classes in the boot loader with the JDK's {@code Unsafe}. On Java 9+ it runs from a class loader of its
 * own, to which alone {@link BootBridge} exports {@code jdk.internal.misc}; nothing else names it.
 */
public final class BootDefiner {
    private BootDefiner() {}

    /** Java 9+: {@code jdk.internal.misc.Unsafe}. */
    public static void define(String[] names, byte[][] classes) throws Exception {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        defineAll(unsafeClass.getMethod("getUnsafe").invoke(null), unsafeClass, names, classes);
    }

    static void defineAll(Object unsafe, Class<?> unsafeClass, String[] names, byte[][] classes) throws Exception {
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (int i = 0; i < names.length; i++) {
            define.invoke(unsafe, names[i], classes[i], 0, classes[i].length, null, null);
        }
    }
}
