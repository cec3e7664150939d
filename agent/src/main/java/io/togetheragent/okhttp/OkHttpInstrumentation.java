package io.togetheragent.okhttp;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;

/**
 * OkHttp 3.x, 4.x and 5.x. Every client, however built (including {@code newBuilder().build()} and the
 * no-argument constructor, which delegates), passes through {@code OkHttpClient(Builder)}: that is where the
 * retry interceptor joins the builder's application interceptors.
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {
    private static final String HELPERS = "io.togetheragent.okhttp.helper.";
    private static final CallHooks HOOKS = new CallHooks(HELPERS + "OkHttpRetry", HELPERS + "RetryInterceptor");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        return Collections.singletonList(MethodHook.on("okhttp3.OkHttpClient", "<init>")
                .takes("okhttp3.OkHttpClient$Builder")
                .atEnter((origin, self, builder) -> HOOKS.get(origin).call(null, builder[0])));
    }
}
