package io.togetheragent.jdkhttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code java.net.http.HttpClient} (Java 11+). Every client the JDK hands out is an {@code HttpClientFacade};
 * its public {@code send} and {@code sendAsync} are the one way in, whether the client was built before or after
 * the agent arrived.
 */
public final class JdkHttpClientInstrumentation implements ClientInstrumentation {
    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        // The advice is inlined into the java.net.http module, which must be able to read the agent's classes.
        // (This class is boot-loaded and cannot name java.net.http's types, which the platform loader defines.)
        Module httpModule = ModuleLayer.boot().findModule("java.net.http").orElse(null);
        if (httpModule == null) {
            return builder;
        }
        inst.redefineModule(httpModule, Set.of(HttpClientHook.class.getModule()), Map.of(), Map.of(), Set.of(),
                Map.of());
        return builder
                .type(named("jdk.internal.net.http.HttpClientFacade"))
                .transform(advice
                        .advice(named("send").and(takesArguments(2)), SendAdvice.class.getName())
                        .advice(named("sendAsync").and(takesArguments(2)), SendAsyncAdvice.class.getName())
                        .advice(named("sendAsync").and(takesArguments(3)), SendAsyncWithPushAdvice.class.getName()));
    }
}
