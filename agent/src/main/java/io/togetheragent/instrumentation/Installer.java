package io.togetheragent.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every client adapter (and the agent's JMX hook), with the classes it hooks, and the weaver that applies them. An
 * adapter's own classes load only when the first class it hooks loads, so a JVM that never loads an HTTP client pays
 * for one name lookup per class and nothing more.
 */
public final class Installer {
    /** Each adapter, then every class its hooks name ({@code InstallerTest} holds the two to each other). */
    static final String[][] ADAPTERS = {
        {"io.togetheragent.okhttp.OkHttpInstrumentation", "okhttp3.OkHttpClient"},
        {"io.togetheragent.urlconnection.UrlConnectionInstrumentation",
            "sun.net.www.protocol.http.Handler", "sun.net.www.protocol.https.Handler"},
        // Compiled for Java 11: this JDK has java.net.http whenever the facade loads.
        {"io.togetheragent.jdkhttpclient.JdkHttpClientInstrumentation", "jdk.internal.net.http.HttpClientFacade"},
        {"io.togetheragent.httpclient4.HttpClient4Instrumentation",
            "org.apache.http.impl.client.InternalHttpClient", "org.apache.http.impl.client.MinimalHttpClient",
            "org.apache.http.impl.client.AbstractHttpClient"},
        {"io.togetheragent.httpclient5.HttpClient5Instrumentation",
            "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
            "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
            "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
            "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase",
            "org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy"},
        {"io.togetheragent.reactornetty.ReactorNettyInstrumentation", "reactor.netty.http.client.HttpClientConnect"},
        // Jetty 9.4 to 11 and Jetty 12 name their client alike; each adapter's hook tells its own line apart.
        {"io.togetheragent.jetty9.Jetty9Instrumentation",
            "org.eclipse.jetty.client.HttpRequest", "org.eclipse.jetty.client.HttpClient"},
        {"io.togetheragent.jetty12.Jetty12Instrumentation",
            "org.eclipse.jetty.client.transport.HttpRequest", "org.eclipse.jetty.client.HttpClient"},
        {"io.togetheragent.vertx.VertxInstrumentation",
            "io.vertx.core.http.impl.HttpClientImpl", "io.vertx.core.http.impl.HttpClientRequestImpl",
            "io.vertx.core.http.impl.HttpClientRequestBase"},
        // Not a client: the agent's JMX beans go to the platform MBean server when someone opens it.
        {"io.togetheragent.jmx.JmxInstrumentation", "java.lang.management.ManagementFactory"},
    };

    private Installer() {}

    /** A class name of {@link #ADAPTERS} as a class file transformer is given it: {@code okhttp3/OkHttpClient}. */
    static String internalName(String className) {
        return className.replace('.', '/');
    }

    /** Every class some adapter hooks, by its internal name. */
    static Set<String> hookedInternalNames() {
        Set<String> names = new HashSet<>();
        for (String[] row : ADAPTERS) {
            for (int i = 1; i < row.length; i++) {
                names.add(internalName(row[i]));
            }
        }
        return names;
    }

    /** @param gate where the weaver goes when the agent starts with the JVM ({@link StartGate}); else null */
    public static void install(Instrumentation inst, Consumer<ClassFileTransformer> gate) throws Exception {
        Weaver weaver = new Weaver(inst, ADAPTERS);
        if (gate != null) {
            gate.accept(weaver);
        } else {
            inst.addTransformer(weaver, true);
        }
        // Classes already loaded (after an attach, the JDK's own loaded before the agent, or while it started) are
        // woven now.
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (weaver.hooks(c)) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }
}
