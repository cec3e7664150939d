package io.togetheragent.vertx;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Vert.x 4 and 5's {@code HttpClient}, used directly, by Vert.x's {@code WebClient} and by Quarkus' REST client.
 *
 * <p>A call takes its turn where its request is created ({@code HttpClient.request(options)}), by completing the
 * application's future later. Its answer reaches the application in one place,
 * {@code HttpClientRequestImpl.handleResponse}, where Vert.x's own redirects hand the call over to a next request:
 * there the agent takes a Together call's 429 or 503, waits on a Vert.x timer of the request's context and sends
 * a copy of the request, whose answer completes the application's own response future. The body is kept as it is
 * written; {@code reset()} ends the call.
 */
public final class VertxInstrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.vertx.helper.";
    private static final String IMPL = "io.vertx.core.http.impl.";

    /** The retry helpers of each copy of Vert.x, kept per {@code HttpClientRequest} interface, for every advice. */
    public static final CallHooks HOOKS = new CallHooks(HELPERS + "VertxRetry", HELPERS + "VertxCall");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(named(IMPL + "HttpClientImpl"))
                .transform(advice
                        .advice(named("request").and(takesArguments(1))
                                .and(takesArgument(0, named("io.vertx.core.http.RequestOptions")))
                                .and(returns(named("io.vertx.core.Future"))), RequestAdvice.class.getName())
                        // Vert.x 4 only: the form that calls back.
                        .advice(named("request").and(takesArguments(2))
                                .and(takesArgument(0, named("io.vertx.core.http.RequestOptions")))
                                .and(takesArgument(1, named("io.vertx.core.Handler"))),
                                RequestCallbackAdvice.class.getName()))
                .type(named(IMPL + "HttpClientRequestImpl").and(declaresMethod(named("handleResponse")
                        .and(takesArguments(3)))))
                .transform(advice
                        // Vert.x 4: write(ByteBuf, boolean end, Handler); 5: write(ByteBuf, boolean end).
                        .advice(named("write").and(takesArgument(0, named("io.netty.buffer.ByteBuf")))
                                .and(takesArgument(1, boolean.class)), WriteAdvice.class.getName())
                        .advice(named("handleResponse").and(takesArguments(3))
                                .and(takesArgument(0, named("io.vertx.core.Promise"))), ResponseAdvice.class.getName())
                        .advice(named("handleException").and(takesArguments(1))
                                .and(takesArgument(0, Throwable.class)), FailureAdvice.class.getName()))
                .type(named(IMPL + "HttpClientRequestBase"))
                .transform(advice.advice(named("reset").and(takesArguments(1))
                        .and(takesArgument(0, Throwable.class)), ResetAdvice.class.getName()));
    }
}
