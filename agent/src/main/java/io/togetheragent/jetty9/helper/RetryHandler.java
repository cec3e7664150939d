package io.togetheragent.jetty9.helper;

import java.nio.ByteBuffer;
import org.eclipse.jetty.client.ProtocolHandler;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;

/**
 * Takes the answer of a Together call the agent may retry, in place of the application's listeners, as Jetty's
 * redirect handler takes a 302: its body is kept, and when the call is over it is handed on unchanged. One for
 * all clients; what each call needs is in its {@link JettyCall}.
 */
final class RetryHandler extends Response.Listener.Adapter implements ProtocolHandler {
    static final RetryHandler INSTANCE = new RetryHandler();

    private RetryHandler() {}

    @Override
    public String getName() {
        return "together-agent-retry";
    }

    /** Called once the status line is in, before the headers. */
    @Override
    public boolean accept(Request request, Response response) {
        JettyCall call = JettyCall.of(request);
        return call != null && call.takes(response.getStatus());
    }

    @Override
    public Response.Listener getResponseListener() {
        return this;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        JettyCall call = JettyCall.of(response.getRequest());
        if (call != null) {
            call.bodyPart(content);
        }
    }

    @Override
    public void onComplete(Result result) {
        JettyCall call = JettyCall.of(result.getRequest());
        if (call != null) {
            call.taken(result);
        }
    }
}
