package io.togetheragent.bridge;

/**
 * The one class that code woven into client libraries calls. It is defined in the boot loader, which every class
 * loader reaches, the JDK's own clients' included; the rest of the agent stays in the loader that loaded it (so the
 * boot class path is never appended to, and the JVM keeps class-data sharing on). Each woven method passes the
 * number its {@link Hook} was registered under, the class it was woven into, {@code this} (null in a constructor's
 * start or a static method) and its arguments.
 */
public final class Bridge {
    private static volatile Hook[] hooks = new Hook[0];

    private Bridge() {}

    /** @return the number the woven code passes */
    public static synchronized int register(Hook hook) {
        Hook[] more = new Hook[hooks.length + 1];
        System.arraycopy(hooks, 0, more, 0, hooks.length);
        more[hooks.length] = hook;
        hooks = more;
        return hooks.length - 1;
    }

    public static Object enter(int hook, Class<?> origin, Object self, Object[] args) throws Throwable {
        return hooks[hook].enter(origin, self, args);
    }

    public static Object exit(Object returned, int hook, Class<?> origin, Object self, Object[] args)
            throws Throwable {
        return hooks[hook].exit(returned, origin, self, args);
    }

    public static void thrown(Throwable thrown, int hook, Class<?> origin) {
        hooks[hook].thrown(thrown, origin);
    }
}
