package io.togetheragent.vertx;

import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code HttpClientRequestBase.reset(Throwable)}: the application's reset ends a call in a wait. */
public final class ResetAdvice {
    private ResetAdvice() {}

    @Advice.OnMethodEnter
    static void reset(@Advice.This Object request, @Advice.Argument(0) Throwable cause) throws java.io.IOException {
        VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(request, "reset", cause);
    }
}
