package io.togetheragent.jdkhttpclient;

import io.togetheragent.bridge.Bridge;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java.net.http.HttpClient} (Java 11+). Every client the JDK hands out is an {@code HttpClientFacade};
 * its public {@code send} and {@code sendAsync} are the one way in, whether the client was built before or after
 * the agent arrived. A Together call is sent by the agent, and its final answer returned in place of the method's.
 */
public final class JdkHttpClientInstrumentation implements ClientInstrumentation {
    private static final String FACADE = "jdk.internal.net.http.HttpClientFacade";
    private static final String REQUEST = "java.net.http.HttpRequest";
    private static final String HANDLER = "java.net.http.HttpResponse$BodyHandler";

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        Module httpModule = ModuleLayer.boot().findModule("java.net.http").orElse(null);
        if (httpModule == null) {
            return List.of();
        }
        // The woven code is in the java.net.http module, which must be able to read the bridge.
        inst.redefineModule(httpModule, Set.of(Bridge.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        return List.of(
                MethodHook.on(FACADE, "send").takes(REQUEST, HANDLER)
                        .skipWith((origin, client, args) -> HttpClientHooks.get().send(client, args[0], args[1])),
                MethodHook.on(FACADE, "sendAsync").takes(REQUEST, HANDLER)
                        .skipWith((origin, client, args) ->
                                HttpClientHooks.get().sendAsync(client, args[0], args[1], null)),
                MethodHook.on(FACADE, "sendAsync")
                        .takes(REQUEST, HANDLER, "java.net.http.HttpResponse$PushPromiseHandler")
                        .skipWith((origin, client, args) ->
                                HttpClientHooks.get().sendAsync(client, args[0], args[1], args[2])));
    }
}
