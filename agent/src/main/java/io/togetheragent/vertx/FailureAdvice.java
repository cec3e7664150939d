package io.togetheragent.vertx;

import io.vertx.core.http.HttpClientRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HttpClientRequestImpl.handleException(Throwable)}: a failure that comes after the agent took
 * the request's answer (its connection closed mid-body) belongs to an attempt the application never sees.
 */
public final class FailureAdvice {
    private FailureAdvice() {}

    /** @return true when the failure is an attempt's the agent took over: Vert.x does not fail the call with it */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean failed(@Advice.This Object request) throws java.io.IOException {
        return VertxInstrumentation.HOOKS.get(HttpClientRequest.class).call(request, "failure") != null;
    }
}
