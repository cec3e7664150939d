package io.togetheragent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The installer's table names, for each adapter, exactly the classes its hooks are on: no hook is left unwoven. */
class InstallerTest {
    /** Stands in for the JVM's: the adapters of JDK modules ask it for module reads, which mean nothing here. */
    private static final Instrumentation NO_JVM = (Instrumentation) Proxy.newProxyInstance(
            InstallerTest.class.getClassLoader(), new Class<?>[] {Instrumentation.class},
            (proxy, method, args) -> null);

    @Test
    void everyAdaptersClassesAreListed() throws Exception {
        for (String[] row : Installer.ADAPTERS) {
            ClientInstrumentation adapter =
                    (ClientInstrumentation) Class.forName(row[0]).getConstructor().newInstance();
            Set<String> hooked = new TreeSet<>();
            for (MethodHook hook : adapter.hooks(NO_JVM)) {
                hooked.add(hook.className.replace('/', '.'));
            }
            assertEquals(new TreeSet<>(Arrays.asList(row).subList(1, row.length)), hooked, row[0]);
        }
    }
}
