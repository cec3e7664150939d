package io.togetheragent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.togetheragent.core.FailOpen;
import io.togetheragent.httpclient4.HttpClient4Instrumentation;
import io.togetheragent.httpclient5.HttpClient5Instrumentation;
import io.togetheragent.jetty12.Jetty12Instrumentation;
import io.togetheragent.jetty9.Jetty9Instrumentation;
import io.togetheragent.okhttp.OkHttpInstrumentation;
import io.togetheragent.reactornetty.ReactorNettyInstrumentation;
import io.togetheragent.urlconnection.UrlConnectionInstrumentation;
import io.togetheragent.vertx.VertxInstrumentation;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the transformer of every client adapter with one Byte Buddy agent builder. */
final class Installer {
    private static final Logger log = LoggerFactory.getLogger(Installer.class);

    /** Adapters that need a newer JDK than 8, by class name: loaded only when their client exists. */
    private static final String[][] JDK_ADAPTERS = {
        {"java.net.http.HttpClient", "io.togetheragent.jdkhttpclient.JdkHttpClientInstrumentation"},
    };

    private Installer() {}

    /** The class file transformer that applies every adapter's advice; not registered with the JVM. */
    static ClassFileTransformer transformer(Instrumentation inst) throws IOException {
        // Byte Buddy's Nexus and its Unsafe-based class injection are never needed here (advice is inlined, helpers
        // get their own loader); left on, they print JDK 24+'s Unsafe warnings. Relocation makes these property
        // names the agent's own, so the application's Byte Buddy is unaffected.
        System.setProperty(Nexus.PROPERTY, "true");
        System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
                .include(AgentJar.locator())
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
        AgentBuilder builder = new AgentBuilder.Default()
                // Advice only adds code to method bodies, which also lets classes loaded before us be retransformed.
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new Listener())
                .ignore(nameStartsWith("io.togetheragent."));
        for (ClientInstrumentation adapter : adapters()) {
            // One adapter that cannot be set up must not take the others down with it.
            try {
                builder = adapter.instrument(builder, advice, inst);
            } catch (Throwable t) {
                FailOpen.report("setting up " + adapter.getClass().getSimpleName(), t);
            }
        }
        return builder.makeRaw();
    }

    private static List<ClientInstrumentation> adapters() {
        List<ClientInstrumentation> adapters = new ArrayList<>();
        adapters.add(new OkHttpInstrumentation());
        adapters.add(new UrlConnectionInstrumentation());
        adapters.add(new HttpClient4Instrumentation());
        adapters.add(new HttpClient5Instrumentation());
        adapters.add(new ReactorNettyInstrumentation());
        adapters.add(new Jetty9Instrumentation());
        adapters.add(new Jetty12Instrumentation());
        adapters.add(new VertxInstrumentation());
        for (String[] adapter : JDK_ADAPTERS) {
            try {
                Class.forName(adapter[0], false, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError notOnThisJdk) {
                log.debug("{} is not on this JDK; its adapter is not installed", adapter[0]);
                continue;
            }
            try {
                adapters.add((ClientInstrumentation) Class.forName(adapter[1]).getConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                FailOpen.report("loading " + adapter[1], e);
            }
        }
        return adapters;
    }

    /** Reports instrumentation failures once; the class then loads unchanged. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            log.debug("instrumented {}", type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            FailOpen.report("instrumenting " + typeName, throwable);
        }
    }
}
