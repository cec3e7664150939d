package io.togetheragent.jetty9;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Jetty's {@code HttpClient} 9.4, 10 and 11, which share one client API ({@code org.eclipse.jetty.client.api}),
 * in the same shape as Jetty 12's adapter (see {@code Jetty12Instrumentation}): the turn in
 * {@code HttpRequest.send(listener)}, the retries by a protocol handler added as each client starts.
 */
public final class Jetty9Instrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.jetty9.helper.";

    /** The retry helpers of each copy of Jetty 9.4 to 11. */
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "Jetty9Retry", HELPERS + "JettyCall",
            HELPERS + "RetryHandler", HELPERS + "Fields");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Arrays.asList(
                // send(listener): the agent takes the call (non-null) when it sends the request later, at its turn.
                MethodHook.on("org.eclipse.jetty.client.HttpRequest", "send")
                        .takes("org.eclipse.jetty.client.api.Response$CompleteListener").withFields("client")
                        .skipWith((origin, request, args) -> HOOKS.get(origin).call(request, args[0], args[1])),
                // The end of doStart(), where Jetty adds its own protocol handlers. Both lines name their client
                // alike; how it copies a request tells them apart.
                MethodHook.on("org.eclipse.jetty.client.HttpClient", "doStart").takesCount(0)
                        .onlyWhereDeclared("copyRequest", 0, "org.eclipse.jetty.client.HttpRequest")
                        .atExit((returned, origin, client, args) -> HOOKS.get(origin).call(client)));
    }
}
