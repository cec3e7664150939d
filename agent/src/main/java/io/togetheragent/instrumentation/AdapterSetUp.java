package io.togetheragent.instrumentation;

import io.togetheragent.bridge.Bridge;
import io.togetheragent.core.FailOpen;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One adapter, set up (its hooks made and registered with the bridge) when the first class it hooks loads. */
final class AdapterSetUp {
    private final String adapterClass;
    private Map<String, List<MethodHook>> hooks;

    AdapterSetUp(String adapterClass) {
        this.adapterClass = adapterClass;
    }

    /** @param className in the JVM's internal form; @return its hooks, none if the adapter cannot be set up */
    synchronized List<MethodHook> hooksOf(String className, Instrumentation inst) {
        if (hooks == null) {
            hooks = setUp(inst);
        }
        List<MethodHook> of = hooks.get(className);
        return of == null ? Collections.<MethodHook>emptyList() : of;
    }

    private Map<String, List<MethodHook>> setUp(Instrumentation inst) {
        Map<String, List<MethodHook>> byClass = new HashMap<>();
        try {
            FailOpen.injectFault("set-up");
            ClientInstrumentation adapter =
                    (ClientInstrumentation) Class.forName(adapterClass).getConstructor().newInstance();
            for (MethodHook hook : adapter.hooks(inst)) {
                hook.id = Bridge.register(hook);
                byClass.computeIfAbsent(hook.className, name -> new ArrayList<>()).add(hook);
            }
        } catch (Throwable t) {
            // One adapter that cannot be set up must not take the others down with it.
            FailOpen.report("setting up " + adapterClass, t);
        }
        return byClass;
    }
}
