package io.togetheragent.okhttp;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * OkHttp 3.x, 4.x and 5.x. Every client, however built (including {@code newBuilder().build()} and the
 * no-argument constructor, which delegates), passes through {@code OkHttpClient(Builder)}: that is where the
 * retry interceptor joins the builder's application interceptors. A client built before the agent was attached
 * did not, and is seen where it makes a call ({@code newCall}).
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.okhttp.helper.";
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "OkHttpRetry", HELPERS + "RetryInterceptor");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Arrays.asList(
                MethodHook.on("okhttp3.OkHttpClient", "<init>").takes("okhttp3.OkHttpClient$Builder")
                        .atEnter((origin, self, builder) -> HOOKS.get(origin).call(null, "built", builder[0])),
                // A client built before the agent was attached has no interceptor: its Together calls are made by a
                // copy that has one.
                MethodHook.on("okhttp3.OkHttpClient", "newCall").takes("okhttp3.Request").returns("okhttp3.Call")
                        .skipWith((origin, client, request) -> HOOKS.get(origin).call(client, "newCall", request[0])));
    }
}
