package io.togetheragent.vertx;

import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code HttpClientRequestImpl.write(ByteBuf, boolean, …)}: a call's body is kept as it is written. */
public final class WriteAdvice {
    private WriteAdvice() {}

    @Advice.OnMethodEnter
    static void write(@Advice.This Object request, @Advice.Argument(0) Object buffer, @Advice.Argument(1) boolean end)
            throws java.io.IOException {
        VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(request, "write", buffer, end);
    }
}
