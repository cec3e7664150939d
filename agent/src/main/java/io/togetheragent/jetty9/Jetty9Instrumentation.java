package io.togetheragent.jetty9;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Jetty's {@code HttpClient} 9.4, 10 and 11, which share one client API ({@code org.eclipse.jetty.client.api}),
 * in the same shape as Jetty 12's adapter (see {@code Jetty12Instrumentation}): the turn in
 * {@code HttpRequest.send(listener)}, the retries by a protocol handler added as each client starts.
 */
public final class Jetty9Instrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.jetty9.helper.";

    /** The retry helpers of each copy of Jetty 9.4 to 11, for the advice. */
    public static final CallHooks HOOKS = new CallHooks(HELPERS + "Jetty9Retry", HELPERS + "JettyCall",
            HELPERS + "RetryHandler", HELPERS + "Fields");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(named("org.eclipse.jetty.client.HttpRequest"))
                .transform(advice.advice(named("send").and(takesArguments(1))
                                .and(takesArgument(0, named("org.eclipse.jetty.client.api.Response$CompleteListener"))),
                        SendAdvice.class.getName()))
                // Both lines name their client alike; how it copies a request tells them apart.
                .type(named("org.eclipse.jetty.client.HttpClient").and(declaresMethod(named("copyRequest")
                        .and(takesArgument(0, named("org.eclipse.jetty.client.HttpRequest"))))))
                .transform(advice.advice(named("doStart").and(takesArguments(0)), StartAdvice.class.getName()));
    }
}
