package io.togetheragent.jetty9.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.LogOnce;
import io.togetheragent.core.WeakIdentityMap;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpRequest;
import org.eclipse.jetty.client.api.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a Together call of Jetty 9.4 to 11's in the agent's hands: it takes its turn before it is sent, and its answers
 * come to {@link RetryHandler}. Defined under Jetty's loader.
 */
public final class Jetty9Retry implements CallHook {
    private static final Logger log = LoggerFactory.getLogger(Jetty9Retry.class);
    private static final Object LATER = new Object();
    /** Clients that started with the agent's handler; one started before the agent came has none. */
    private static final WeakIdentityMap<HttpClient, Boolean> STARTED = new WeakIdentityMap<>();

    /**
     * @param target an {@code HttpClient} that has just started, or an {@code HttpRequest} being sent
     * @param args for a request: the application's listener and the request's client
     * @return non-null when the agent sends the request later
     */
    @Override
    public Object call(Object target, Object... args) {
        try {
            if (target instanceof HttpClient) {
                // Put where Jetty puts its own handlers: while the client starts, before any answer looks for one.
                ((HttpClient) target).getProtocolHandlers().put(RetryHandler.INSTANCE);
                STARTED.put((HttpClient) target, Boolean.TRUE);
                return null;
            }
            return sendsNow((HttpRequest) target, (Response.CompleteListener) args[0], (HttpClient) args[1])
                    ? null : LATER;
        } catch (Throwable t) {
            FailOpen.report("the Jetty retry", t);
            return null;
        }
    }

    private static boolean sendsNow(HttpRequest request, Response.CompleteListener listener, HttpClient client) {
        // Attempts of a call already in hand, and Jetty's own resends in its conversation, go as they are.
        if (JettyCall.of(request) != null) {
            return true;
        }
        int port = request.getPort() > 0 ? request.getPort() : "https".equalsIgnoreCase(request.getScheme()) ? 443 : 80;
        if (!RetryPolicy.current().steers(request.getHost(), port)) {
            return true;
        }
        if (!STARTED.containsKey(client)) {
            if (LogOnce.first("jetty started before the agent")) {
                log.warn("a Jetty HttpClient started before the agent was attached: its calls to {} are not retried"
                        + " (said once)", request.getHost());
            }
            return true;
        }
        JettyCall call = JettyCall.begin(request, port, client);
        return call == null || call.firstTurn(listener);
    }
}
