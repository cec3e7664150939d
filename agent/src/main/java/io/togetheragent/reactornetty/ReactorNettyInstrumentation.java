package io.togetheragent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Reactor Netty's {@code HttpClient}, 1.0 to 1.3, and so Spring's WebClient ({@code ReactorClientHttpConnector})
 * and RestClient/RestTemplate ({@code ReactorClientHttpRequestFactory}, {@code ReactorNettyClientRequestFactory}).
 *
 * <p>The hook is {@code HttpClientConnect.connect()}, and nothing else: every receive form ({@code response},
 * {@code responseSingle}, {@code responseContent}, {@code responseConnection}, which Spring's connectors use) gets
 * its connection from it, as a cold {@code Mono} that sends the request on each subscription and emits the
 * connection once the status and headers have come, before any of the body is read. That is exactly where the
 * retry decides, and replacing that one {@code Mono} covers all of them with one helper.
 */
public final class ReactorNettyInstrumentation implements ClientInstrumentation {
    private static final String CONNECT = "reactor.netty.http.client.HttpClientConnect";
    private static final String HELPERS = "io.togetheragent.reactornetty.helper.";

    /** The retry helpers of each copy of Reactor Netty, for the advice. */
    public static final CallHooks HOOKS = new CallHooks(HELPERS + "ReactorNettyRetry", HELPERS + "RetryingConnect",
            HELPERS + "ReactorCall", HELPERS + "SentRequest", HELPERS + "Target");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(named(CONNECT))
                .transform(advice.advice(named("connect").and(takesArguments(0))
                                .and(returns(named("reactor.core.publisher.Mono"))),
                        ConnectAdvice.class.getName()));
    }
}
