package io.togetheragent.instrumentation;

import io.togetheragent.core.FailOpen;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Registers the agent with the JVM without starting Byte Buddy: loading it costs some 300 ms (about 730 classes),
 * which a JVM that never loads an HTTP client class should not pay. The first time a class the adapters
 * instrument is loaded, the Byte Buddy transformer is built and from then on handles those classes — only those.
 */
public final class LazyInstaller implements ClassFileTransformer {
    /** Every class an adapter instruments, in the JVM's internal form. */
    static final Set<String> TARGETS = new HashSet<>(Arrays.asList(
            "okhttp3/OkHttpClient",
            "jdk/internal/net/http/HttpClientFacade",
            "sun/net/www/protocol/http/Handler",
            "sun/net/www/protocol/https/Handler",
            "org/apache/http/impl/client/InternalHttpClient",
            "org/apache/http/impl/client/MinimalHttpClient",
            "org/apache/http/impl/client/AbstractHttpClient",
            "org/apache/hc/client5/http/impl/classic/InternalHttpClient",
            "org/apache/hc/client5/http/impl/classic/MinimalHttpClient",
            "org/apache/hc/client5/http/impl/async/InternalAbstractHttpAsyncClient",
            "org/apache/hc/client5/http/impl/async/AbstractMinimalHttpAsyncClientBase",
            "org/apache/hc/client5/http/impl/DefaultHttpRequestRetryStrategy",
            "reactor/netty/http/client/HttpClientConnect",
            "org/eclipse/jetty/client/HttpClient",
            "org/eclipse/jetty/client/HttpRequest",
            "org/eclipse/jetty/client/transport/HttpRequest",
            "io/vertx/core/http/impl/HttpClientImpl",
            "io/vertx/core/http/impl/HttpClientRequestBase",
            "io/vertx/core/http/impl/HttpClientRequestImpl"));

    private static final ClassFileTransformer NOTHING = (loader, name, redefined, domain, classfile) -> null;

    private final Instrumentation inst;
    private volatile ClassFileTransformer byteBuddy;

    private LazyInstaller(Instrumentation inst) {
        this.inst = inst;
    }

    public static void install(Instrumentation inst) throws Exception {
        inst.addTransformer(new LazyInstaller(inst), true);
        // Target classes already loaded (after an attach) are transformed now.
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (TARGETS.contains(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (className == null || !TARGETS.contains(className)) {
            return null;
        }
        try {
            return byteBuddy().transform(loader, className, classBeingRedefined, domain, classfile);
        } catch (Throwable t) {
            FailOpen.report("instrumenting " + className.replace('/', '.'), t);
            return null;
        }
    }

    private ClassFileTransformer byteBuddy() {
        ClassFileTransformer t = byteBuddy;
        return t != null ? t : build();
    }

    private synchronized ClassFileTransformer build() {
        if (byteBuddy == null) {
            try {
                byteBuddy = Installer.transformer(inst);
            } catch (Throwable t) {
                FailOpen.report("starting Byte Buddy", t);
                byteBuddy = NOTHING;
            }
        }
        return byteBuddy;
    }
}
