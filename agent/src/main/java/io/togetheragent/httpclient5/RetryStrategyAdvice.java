package io.togetheragent.httpclient5;

import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Inlined into {@code DefaultHttpRequestRetryStrategy.retryRequest(HttpResponse, int, HttpContext)}. */
public final class RetryStrategyAdvice {
    private RetryStrategyAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void standAside(@Advice.Argument(0) HttpResponse response, @Advice.Argument(2) HttpContext context,
                           @Advice.Return(readOnly = false) boolean retry) {
        if (retry && context != null
                && RetryLayer.agentDecides(context.getAttribute(RetryLayer.ATTRIBUTE), response.getCode())) {
            retry = false;
        }
    }
}
