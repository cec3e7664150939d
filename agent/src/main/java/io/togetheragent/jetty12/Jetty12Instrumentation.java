package io.togetheragent.jetty12;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Jetty 12's {@code HttpClient}, used directly, by Spring's {@code JettyClientHttpRequestFactory} (RestClient,
 * RestTemplate) and by WebClient's {@code JettyClientHttpConnector}.
 *
 * <p>Every way of sending, blocking {@code send()} included, goes through {@code HttpRequest.send(listener)}:
 * there the call takes its turn. Its retries are Jetty's own kind of resend, the one its redirects and
 * authentication use: a protocol handler, added to each client as it starts, takes a Together call's 429 or 503
 * in place of the application's listeners and, when the agent retries, sends a copy of the request in the same
 * conversation, so the application's listeners hear only the last answer.
 */
public final class Jetty12Instrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.jetty12.helper.";

    /** The retry helpers of each copy of Jetty 12. */
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "Jetty12Retry", HELPERS + "JettyCall",
            HELPERS + "RetryHandler", HELPERS + "KeptBody", HELPERS + "ReadAhead");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Arrays.asList(
                // send(listener): the agent takes the call (non-null) when it sends the request later, at its turn.
                MethodHook.on("org.eclipse.jetty.client.transport.HttpRequest", "send")
                        .takes("org.eclipse.jetty.client.Response$CompleteListener").withFields("client")
                        .skipWith((origin, request, args) -> HOOKS.get(origin).call(request, args[0], args[1])),
                // The end of doStart(), where Jetty adds its own protocol handlers. Both lines name their client
                // alike; how it copies a request tells them apart.
                MethodHook.on("org.eclipse.jetty.client.HttpClient", "doStart").takesCount(0)
                        .onlyWhereDeclared("copyRequest", 0, "org.eclipse.jetty.client.Request")
                        .atExit((returned, origin, client, args) -> HOOKS.get(origin).call(client)));
    }
}
