package io.togetheragent.instrumentation;

import io.togetheragent.core.FailOpen;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One {@link CallHook} per copy of a client library: the helper is defined by a {@link HelperClassLoader} under
 * the loader of the library's classes, so every hooked class of one copy reaches the same helper (and its state). A
 * {@code ClassValue} keeps it, per hooked class, exactly as long as that class lives (a redeployed web application
 * takes its helper with it) and is read without locking.
 */
public final class CallHooks extends ClassValue<CallHook> {
    private static final CallHook ABSENT = (client, args) -> null;

    private final String[] helpers;
    // Weak values too: the helper's loader holds the library's loader, which must stay collectable.
    private final Map<ClassLoader, WeakReference<CallHook>> byLoader = new WeakHashMap<>();

    /** @param helpers the helper classes' names, the {@code CallHook} implementation first */
    public CallHooks(String... helpers) {
        this.helpers = helpers.clone();
    }

    @Override
    protected CallHook computeValue(Class<?> libraryClass) {
        try {
            FailOpen.injectFault("install");
            return forLoader(libraryClass.getClassLoader());
        } catch (Throwable t) {
            FailOpen.report("loading " + helpers[0], t);
            return ABSENT;
        }
    }

    private synchronized CallHook forLoader(ClassLoader libraryLoader) throws ReflectiveOperationException {
        WeakReference<CallHook> kept = byLoader.get(libraryLoader);
        CallHook hook = kept == null ? null : kept.get();
        if (hook == null) {
            ClassLoader loader = new HelperClassLoader(libraryLoader, helpers);
            hook = (CallHook) Class.forName(helpers[0], true, loader).getConstructor().newInstance();
            byLoader.put(libraryLoader, new WeakReference<>(hook));
        }
        return hook;
    }
}
