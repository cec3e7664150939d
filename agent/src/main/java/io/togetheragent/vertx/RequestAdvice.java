package io.togetheragent.vertx;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code HttpClientImpl.request(RequestOptions)}: a Together call takes its turn, now or later. */
public final class RequestAdvice {
    private RequestAdvice() {}

    /** @return a future of the agent's, completed at the call's turn (the method is skipped), or the call, or null */
    @Advice.OnMethodEnter(skipOn = Future.class)
    static Object request(@Advice.This Object client, @Advice.Argument(0) Object options) throws java.io.IOException {
        return VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(client, "request", options);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void requested(@Advice.This Object client, @Advice.Enter Object entered,
                          @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future)
            throws java.io.IOException {
        if (entered instanceof Future) {
            future = entered;
        } else if (entered != null) {
            VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(client, "requested", entered, future);
        }
    }
}
