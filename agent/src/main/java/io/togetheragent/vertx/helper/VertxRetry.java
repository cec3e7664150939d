package io.togetheragent.vertx.helper;

import io.netty.buffer.ByteBuf;
import io.togetheragent.core.FailOpen;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.togetheragent.instrumentation.CallHook;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where Vert.x's hooks reach the agent: each hook names what happened, and {@link VertxCall} does the rest.
 * Defined under Vert.x's loader.
 */
public final class VertxRetry implements CallHook {
    /** A request that went ahead without a call of the agent's. */
    private static final Object NONE = new Object();

    /**
     * The calls whose {@code request(options)} is running on this thread, innermost first: "request" puts one here
     * (or {@link #NONE}) whenever the method goes ahead, and "requested" takes it when the method returns or throws.
     */
    private static final ThreadLocal<Deque<Object>> REQUESTING = ThreadLocal.withInitial(ArrayDeque::new);

    /**
     * @param target the client ({@code request}, {@code callback}) or the request ({@code requested}: none)
     * @param args what happened, then its arguments
     * @return for {@code request}: a future of the agent's (the method is skipped) or null; for {@code callback},
     *     {@code response} and {@code failure}: non-null when the agent took over
     */
    @Override
    @SuppressWarnings("unchecked")
    public Object call(Object target, Object... args) {
        if ("request".equals(args[0])) {
            Object call = request((HttpClient) target, (RequestOptions) args[1]);
            if (call instanceof Future) {
                return call;
            }
            REQUESTING.get().push(call == null ? NONE : call);
            return null;
        }
        try {
            switch ((String) args[0]) {
                case "requested":
                    Object call = REQUESTING.get().poll();
                    if (call instanceof VertxCall) {
                        VertxCall.requested((VertxCall) call, (Future<HttpClientRequest>) args[1]);
                    }
                    return null;
                case "callback":
                    return callBack((HttpClient) target, (RequestOptions) args[1],
                            (Handler<AsyncResult<HttpClientRequest>>) args[2]);
                case "write":
                    VertxCall.written((HttpClientRequest) target, (ByteBuf) args[1], (Boolean) args[2]);
                    return null;
                case "response":
                    return VertxCall.answered((HttpClientRequest) target, (Promise<HttpClientResponse>) args[1],
                            (HttpClientResponse) args[2]) ? Boolean.TRUE : null;
                case "failure":
                    return VertxCall.takenOver((HttpClientRequest) target) ? Boolean.TRUE : null;
                case "reset":
                    VertxCall.reset((HttpClientRequest) target, (Throwable) args[1]);
                    return null;
                default:
                    return null;
            }
        } catch (Throwable t) {
            FailOpen.report("the Vert.x retry", t);
            return null;
        }
    }

    private static Object request(HttpClient client, RequestOptions options) {
        try {
            return VertxCall.request(client, options);
        } catch (Throwable t) {
            FailOpen.report("the Vert.x retry", t);
            return null;
        }
    }

    /** Vert.x 4's form that calls back goes through the one that returns a future, where a call takes its turn. */
    private static Object callBack(HttpClient client, RequestOptions options,
                                   Handler<AsyncResult<HttpClientRequest>> handler) {
        if (!VertxCall.steers(client, options)) {
            return null;
        }
        Future<HttpClientRequest> request;
        try {
            request = client.request(options);
        } catch (RuntimeException closed) {
            // The client's own failure (closed): Vert.x throws it again, as without the agent.
            return null;
        }
        request.onComplete(handler);
        return Boolean.TRUE;
    }
}
