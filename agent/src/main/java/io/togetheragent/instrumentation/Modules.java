package io.togetheragent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/** Java 9+ module read edges, from code compiled for Java 8 (where there are no modules, and nothing to do). */
public final class Modules {
    private Modules() {}

    /**
     * Lets the named module of the boot layer read the module of {@code read}; for a module whose class is being
     * loaded (naming the class then would be a class circularity).
     */
    public static void addReads(Instrumentation inst, String reader, Class<?> read)
            throws ReflectiveOperationException {
        Class<?> layer;
        try {
            layer = Class.forName("java.lang.ModuleLayer");
        } catch (ClassNotFoundException java8) {
            return;
        }
        Object boot = layer.getMethod("boot").invoke(null);
        Object found = ((java.util.Optional<?>) layer.getMethod("findModule", String.class).invoke(boot, reader))
                .orElse(null);
        if (found != null) {
            redefine(inst, found, read);
        }
    }

    /** Lets the module of {@code reader} read the module of {@code read}. */
    public static void addReads(Instrumentation inst, Class<?> reader, Class<?> read)
            throws ReflectiveOperationException {
        Method getModule;
        try {
            getModule = Class.class.getMethod("getModule");
        } catch (NoSuchMethodException java8) {
            return;
        }
        redefine(inst, getModule.invoke(reader), read);
    }

    private static void redefine(Instrumentation inst, Object readerModule, Class<?> read)
            throws ReflectiveOperationException {
        Class<?> module = Class.forName("java.lang.Module");
        Object readModule = Class.class.getMethod("getModule").invoke(read);
        Instrumentation.class.getMethod("redefineModule", module, Set.class, Map.class, Map.class, Set.class, Map.class)
                .invoke(inst, readerModule, Collections.singleton(readModule), Collections.emptyMap(),
                        Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }
}
