package io.togetheragent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/** Java 9+ module read edges, from code compiled for Java 8 (where there are no modules, and nothing to do). */
public final class Modules {
    private Modules() {}

    /** Lets the module of {@code reader} read the module of {@code read}. */
    public static void addReads(Instrumentation inst, Class<?> reader, Class<?> read)
            throws ReflectiveOperationException {
        Method getModule;
        try {
            getModule = Class.class.getMethod("getModule");
        } catch (NoSuchMethodException java8) {
            return;
        }
        Class<?> module = Class.forName("java.lang.Module");
        Instrumentation.class.getMethod("redefineModule", module, Set.class, Map.class, Map.class, Set.class, Map.class)
                .invoke(inst, getModule.invoke(reader), Collections.singleton(getModule.invoke(read)),
                        Collections.emptyMap(), Collections.emptyMap(), Collections.emptySet(),
                        Collections.emptyMap());
    }
}
