package io.togetheragent.vertx;

import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HttpClientRequestImpl.handleResponse(Promise, HttpClientResponse, long)}, where an answer
 * reaches the application's response future.
 */
public final class ResponseAdvice {
    private ResponseAdvice() {}

    /** @return true when the agent takes the answer and retries: the application does not see it */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean answered(@Advice.This Object request, @Advice.Argument(0) Object promise,
                            @Advice.Argument(1) Object response) throws java.io.IOException {
        return VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(request, "response", promise, response)
                != null;
    }
}
