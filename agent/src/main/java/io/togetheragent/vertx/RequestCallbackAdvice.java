package io.togetheragent.vertx;

import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Vert.x 4's {@code HttpClientImpl.request(RequestOptions, Handler)}: a Together call goes through
 * the form that returns a future, where it takes its turn, and the handler is called back from that future.
 */
public final class RequestCallbackAdvice {
    private RequestCallbackAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean request(@Advice.This Object client, @Advice.Argument(0) Object options,
                           @Advice.Argument(1) Object handler) throws java.io.IOException {
        return VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(client, "callback", options, handler)
                != null;
    }
}
