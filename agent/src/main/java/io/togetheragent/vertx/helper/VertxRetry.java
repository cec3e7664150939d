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

/**
 * Where Vert.x's advice reaches the agent: each advice names what happened, and {@link VertxCall} does the rest.
 * Defined under Vert.x's loader.
 */
public final class VertxRetry implements CallHook {
    /**
     * @param target the client ({@code request}, {@code requested}, {@code callback}) or the request
     * @param args what happened, then its arguments
     * @return for {@code request}: a future of the agent's (the method is skipped), a call, or null; for
     *     {@code callback} and {@code response}: non-null when the agent took over
     */
    @Override
    @SuppressWarnings("unchecked")
    public Object call(Object target, Object... args) {
        try {
            switch ((String) args[0]) {
                case "request":
                    return VertxCall.request((HttpClient) target, (RequestOptions) args[1]);
                case "requested":
                    VertxCall.requested((VertxCall) args[1], (Future<HttpClientRequest>) args[2]);
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
