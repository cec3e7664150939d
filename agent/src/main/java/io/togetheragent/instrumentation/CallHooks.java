package io.togetheragent.instrumentation;

import io.togetheragent.core.FailOpen;
/**
 * One {@link CallHook} per copy of a client library: the helper is defined by a {@link HelperClassLoader} under
 * the loader of the library class it is asked for. A {@code ClassValue} keeps the helper exactly as long as that
 * class lives (a redeployed web application takes its helper with it) and is read without locking.
 */
public final class CallHooks extends ClassValue<CallHook> {
    private static final CallHook ABSENT = (client, args) -> null;

    private final String[] helpers;

    /** @param helpers the helper classes' names, the {@code CallHook} implementation first */
    public CallHooks(String... helpers) {
        this.helpers = helpers.clone();
    }

    @Override
    protected CallHook computeValue(Class<?> libraryClass) {
        try {
            FailOpen.injectFault("install");
            ClassLoader loader = new HelperClassLoader(libraryClass.getClassLoader(), helpers);
            return (CallHook) Class.forName(helpers[0], true, loader).getConstructor().newInstance();
        } catch (Throwable t) {
            FailOpen.report("loading " + helpers[0], t);
            return ABSENT;
        }
    }
}
