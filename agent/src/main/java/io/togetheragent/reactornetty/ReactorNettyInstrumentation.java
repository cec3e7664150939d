package io.togetheragent.reactornetty;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;

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

    /** The retry helpers of each copy of Reactor Netty. */
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "ReactorNettyRetry", HELPERS + "RetryingConnect",
            HELPERS + "ReactorCall", HELPERS + "SentRequest", HELPERS + "RequestTap", HELPERS + "HeldWrites",
            HELPERS + "Target", HELPERS + "ConfiguredHeaders");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Collections.singletonList(MethodHook.on(CONNECT, "connect").takesCount(0)
                .returns("reactor.core.publisher.Mono")
                .atExit((connection, origin, client, args) -> {
                    Object retrying = HOOKS.get(origin).call(client, connection);
                    return retrying != null ? retrying : connection;
                }));
    }
}
