package io.togetheragent.httpclient4;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache HttpClient 4.3 and later. Every {@code execute} overload of a {@code CloseableHttpClient}, with or without
 * a {@code ResponseHandler} or {@code HttpContext}, ends in {@code doExecute(HttpHost, HttpRequest, HttpContext)};
 * the clients HttpClient builds implement it in these classes (the last is the deprecated
 * {@code DefaultHttpClient}'s). For a Together call the agent runs the attempts and returns the final response.
 */
public final class HttpClient4Instrumentation implements ClientInstrumentation {
    static final String[] CLIENTS = {
        "org.apache.http.impl.client.InternalHttpClient",
        "org.apache.http.impl.client.MinimalHttpClient",
        "org.apache.http.impl.client.AbstractHttpClient",
    };

    /** The retry helper of each copy of HttpClient 4. */
    private static final CallHooks RETRY = new CallHooks("io.togetheragent.httpclient4.helper.HttpClient4Retry");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        List<MethodHook> hooks = new ArrayList<>();
        for (String client : CLIENTS) {
            hooks.add(MethodHook.on(client, "doExecute").takesCount(3)
                    .takes(0, "org.apache.http.HttpHost").takes(1, "org.apache.http.HttpRequest")
                    .skipWith((origin, self, args) -> RETRY.get(origin).call(self, args)));
        }
        return hooks;
    }
}
