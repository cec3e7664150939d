package io.togetheragent.jetty12;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Jetty 12's {@code HttpClient}, used directly, by Spring's {@code JettyClientHttpRequestFactory} (RestClient,
 * RestTemplate) and by WebClient's {@code JettyClientHttpConnector}.
 *
 * <p>Every way of sending, blocking {@code send()} included, goes through {@code HttpRequest.send(listener)}:
 * there the call takes its turn. Its retries are Jetty's own kind of resend, the one its redirects and
 * authentication use: a protocol handler, added to each client as it starts, takes a Together call's 429 or 503
 * in place of the application's listeners and, when the agent retries, sends a copy of the request in the same
 * conversation, so the application's listeners hear only the last answer.
 */
public final class Jetty12Instrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.jetty12.helper.";

    /** The retry helpers of each copy of Jetty 12, for the advice. */
    public static final CallHooks HOOKS = new CallHooks(HELPERS + "Jetty12Retry", HELPERS + "JettyCall",
            HELPERS + "RetryHandler", HELPERS + "KeptBody");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(named("org.eclipse.jetty.client.transport.HttpRequest"))
                .transform(advice.advice(named("send").and(takesArguments(1))
                                .and(takesArgument(0, named("org.eclipse.jetty.client.Response$CompleteListener"))),
                        SendAdvice.class.getName()))
                // Both lines name their client alike; how it copies a request tells them apart.
                .type(named("org.eclipse.jetty.client.HttpClient").and(declaresMethod(named("copyRequest")
                        .and(takesArgument(0, named("org.eclipse.jetty.client.Request"))))))
                .transform(advice.advice(named("doStart").and(takesArguments(0)), StartAdvice.class.getName()));
    }
}
