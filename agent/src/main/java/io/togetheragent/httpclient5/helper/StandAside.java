package io.togetheragent.httpclient5.helper;

import io.togetheragent.httpclient5.RetryLayer;
import io.togetheragent.instrumentation.CallHook;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Tells HttpClient 5's default retry strategy to leave a response to the agent. Defined under HttpClient's loader. */
public final class StandAside implements CallHook {
    /** @param args the response and the call's context; @return non-null when the strategy must not resend */
    @Override
    public Object call(Object unused, Object... args) {
        try {
            HttpContext context = (HttpContext) args[1];
            return context != null
                    && RetryLayer.agentDecides(context.getAttribute(RetryLayer.ATTRIBUTE),
                            ((HttpResponse) args[0]).getCode()) ? Boolean.TRUE : null;
        } catch (Throwable t) {
            return null;
        }
    }
}
