package io.togetheragent.instrumentation;

import io.togetheragent.bridge.Bridge;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.LogOnce;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one class file transformer. It looks at nothing but a loading class's name, so the JVM's other
 * classes cost a map lookup each; ASM is loaded by the first class an adapter hooks.
 */
final class Weaver implements ClassFileTransformer {
    private static final Logger log = LoggerFactory.getLogger(Weaver.class);

    private final Instrumentation inst;
    /** The adapters that hook a class, by its name in the JVM's internal form. */
    private final Map<String, List<AdapterSetUp>> adapters = new HashMap<>();
    /** The same classes by their binary names, as a loaded class gives its own without a copy. */
    private final Set<String> hookedClasses = new HashSet<>();

    /** @param table each adapter's class name, then the names of the classes it hooks */
    Weaver(Instrumentation inst, String[][] table) {
        this.inst = inst;
        for (String[] row : table) {
            AdapterSetUp adapter = new AdapterSetUp(row[0]);
            for (int i = 1; i < row.length; i++) {
                String name = Installer.internalName(row[i]);
                List<AdapterSetUp> of = adapters.get(name);
                if (of == null) {
                    of = new ArrayList<>(1);
                    adapters.put(name, of);
                }
                of.add(adapter);
                hookedClasses.add(row[i]);
            }
        }
    }

    boolean hooks(Class<?> loaded) {
        return hookedClasses.contains(loaded.getName());
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfile) {
        List<AdapterSetUp> of = className == null ? null : adapters.get(className);
        if (of == null) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            FailOpen.injectFault("weave");
            List<MethodHook> forClass = new ArrayList<>();
            for (AdapterSetUp adapter : of) {
                forClass.addAll(adapter.hooksOf(className, inst));
            }
            if (forClass.isEmpty()) {
                return null;
            }
            if (!seesBridge(loader)) {
                if (LogOnce.first("bridge unseen " + name)) {
                    log.warn("{} is left as it is: its class loader {} does not delegate to the boot loader, where"
                            + " the agent's bridge is; calls through it pass untouched (said once)", name, loader);
                }
                return null;
            }
            List<String> woven = new ArrayList<>();
            byte[] result = ClassWeaving.weave(classfile, forClass, woven);
            log.debug("instrumented {}: {}", name, woven);
            return result;
        } catch (Throwable t) {
            FailOpen.report("instrumenting " + name, t);
            return null;
        }
    }

    /** Woven code calls the bridge: a loader that does not delegate to the boot loader would fail to link it. */
    private static boolean seesBridge(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        try {
            return Class.forName(Bridge.class.getName(), false, loader) == Bridge.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
