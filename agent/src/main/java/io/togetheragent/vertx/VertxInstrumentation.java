package io.togetheragent.vertx;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

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

    private static final String REQUEST = IMPL + "HttpClientRequestImpl";
    private static final String OPTIONS = "io.vertx.core.http.RequestOptions";

    /** The retry helpers of each copy of Vert.x. */
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "VertxRetry", HELPERS + "VertxCall");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Arrays.asList(
                // request(options): a future of the agent's, completed at the call's turn, skips the method; a call
                // sent now is told the future of its request (or that creating it failed).
                MethodHook.on(IMPL + "HttpClientImpl", "request").takes(OPTIONS).returns("io.vertx.core.Future")
                        .skipWith((origin, client, args) -> HOOKS.get(origin).call(client, "request", args[0]))
                        .atExit((future, origin, client, args) -> {
                            HOOKS.get(origin).call(client, "requested", future);
                            return future;
                        })
                        .onThrown((thrown, origin) -> HOOKS.get(origin).call(null, "requested", null)),
                // Vert.x 4 only: the form that calls back goes through the one above, then calls the handler.
                MethodHook.on(IMPL + "HttpClientImpl", "request").takes(OPTIONS, "io.vertx.core.Handler")
                        .skipWith((origin, client, args) ->
                                HOOKS.get(origin).call(client, "callback", args[0], args[1])),
                // Vert.x 4: write(ByteBuf, boolean end, Handler); 5: write(ByteBuf, boolean end).
                MethodHook.on(REQUEST, "write").takes(0, "io.netty.buffer.ByteBuf").takes(1, "boolean")
                        .onlyWhereDeclared("handleResponse", 3)
                        .atEnter((origin, request, args) -> HOOKS.get(origin).call(request, "write", args[0], args[1])),
                // handleResponse(Promise, HttpClientResponse, long): non-null when the agent takes the answer.
                MethodHook.on(REQUEST, "handleResponse").takesCount(3).takes(0, "io.vertx.core.Promise")
                        .onlyWhereDeclared("handleResponse", 3)
                        .skipWith((origin, request, args) ->
                                HOOKS.get(origin).call(request, "response", args[0], args[1])),
                // handleException(Throwable): non-null when the failure is an attempt's the agent took over.
                MethodHook.on(REQUEST, "handleException").takes("java.lang.Throwable")
                        .onlyWhereDeclared("handleResponse", 3)
                        .skipWith((origin, request, args) -> HOOKS.get(origin).call(request, "failure")),
                MethodHook.on(IMPL + "HttpClientRequestBase", "reset").takes("java.lang.Throwable")
                        .atEnter((origin, request, args) -> HOOKS.get(origin).call(request, "reset", args[0])));
    }
}
