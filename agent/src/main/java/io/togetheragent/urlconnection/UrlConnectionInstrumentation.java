package io.togetheragent.urlconnection;

import io.togetheragent.bridge.Bridge;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import io.togetheragent.instrumentation.Modules;
import java.lang.instrument.Instrumentation;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java.net.HttpURLConnection}. Every {@code url.openConnection()} for http and https ends in the JDK's
 * protocol handlers' {@code openConnection(URL, Proxy)}; for a Together host the agent hands the application a
 * {@link RetryingUrlConnection} in place of the JDK's connection, and never touches the JDK's own state.
 */
public final class UrlConnectionInstrumentation implements ClientInstrumentation {
    @Override
    public List<MethodHook> hooks(Instrumentation inst) throws ReflectiveOperationException {
        // java.base must be able to read the bridge, which the woven code calls.
        Modules.addReads(inst, Object.class, Bridge.class);
        List<MethodHook> hooks = new ArrayList<>();
        String[] handlers = {"sun.net.www.protocol.http.Handler", "sun.net.www.protocol.https.Handler"};
        for (String handler : handlers) {
            hooks.add(MethodHook.on(handler, "openConnection").takes("java.net.URL", "java.net.Proxy")
                    .atExit((connection, origin, self, args) ->
                            UrlConnections.wrap((URLConnection) connection, (URL) args[0], (Proxy) args[1])));
        }
        return hooks;
    }
}
