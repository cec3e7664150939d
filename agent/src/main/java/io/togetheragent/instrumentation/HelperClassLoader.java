package io.togetheragent.instrumentation;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Defines an adapter's helper classes (an OkHttp interceptor, say) as children of the loader that loaded the
 * client library, so they can implement the library's interfaces. Nothing is injected into the application's
 * loader and no JDK internals are opened. The agent's other classes come from the agent's own loader, everything
 * else through the parent.
 */
public final class HelperClassLoader extends ClassLoader {
    /** Null when the agent runs from the boot class path, which every parent reaches. */
    private static final ClassLoader AGENT = HelperClassLoader.class.getClassLoader();

    private final Set<String> helpers;

    public HelperClassLoader(ClassLoader libraryLoader, String... helperClassNames) {
        super(libraryLoader);
        this.helpers = new HashSet<>(Arrays.asList(helperClassNames));
    }

    /** A listed helper, or a class nested in one (an anonymous callback, say). */
    private boolean isHelper(String name) {
        int nested = name.indexOf('$');
        return helpers.contains(nested < 0 ? name : name.substring(0, nested));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isHelper(name)) {
            // The library's loader may not see the agent (a web application's, an OSGi bundle's; the JDK's never do).
            return AGENT != null && name.startsWith("io.togetheragent.") ? AGENT.loadClass(name)
                    : super.loadClass(name, resolve);
        }
        // Only this loader can find helpers (see AgentJar.HELPERS); asking the parents first would be wasted work.
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    byte[] bytes = AgentJar.classBytes(name);
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
