package io.togetheragent.httpclient5;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache HttpClient 5.x, classic and async. Every {@code execute} overload ends in a {@code doExecute}: classic
 * {@code (HttpHost, ClassicHttpRequest, HttpContext)}, async {@code (HttpHost, AsyncRequestProducer,
 * AsyncResponseConsumer, HandlerFactory, HttpContext, FutureCallback)}, implemented in the classes below; for a
 * Together call the agent runs the attempts and returns the final response (or one future of it). The client's
 * default retry strategy is taught to stand aside for calls the agent retries (see {@link RetryLayer}).
 */
public final class HttpClient5Instrumentation implements ClientInstrumentation {
    private static final String[] CLASSIC_CLIENTS = {
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
    };
    private static final String[] ASYNC_CLIENTS = {
        "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
        "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase",
    };
    private static final String RETRY_STRATEGY = "org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy";
    private static final String HELPERS = "io.togetheragent.httpclient5.helper.";

    /** The retry helpers of each copy of HttpClient 5. */
    private static final CallHooks CLASSIC = new CallHooks(HELPERS + "ClassicRetry", HELPERS + "Requests");
    private static final CallHooks ASYNC = new CallHooks(HELPERS + "AsyncRetry", HELPERS + "Requests",
            HELPERS + "AsyncCall", HELPERS + "AttemptConsumer", HELPERS + "ReactiveBody", HELPERS + "InMemoryBody");
    private static final CallHooks STRATEGY = new CallHooks(HELPERS + "StandAside");

    @Override
    public List<MethodHook> hooks(Instrumentation inst) {
        List<MethodHook> hooks = new ArrayList<>();
        for (String client : CLASSIC_CLIENTS) {
            hooks.add(MethodHook.on(client, "doExecute").takesCount(3)
                    .takes(1, "org.apache.hc.core5.http.ClassicHttpRequest")
                    .skipWith((origin, self, args) -> CLASSIC.get(origin).call(self, args)));
        }
        for (String client : ASYNC_CLIENTS) {
            hooks.add(MethodHook.on(client, "doExecute").takesCount(6)
                    .takes(1, "org.apache.hc.core5.http.nio.AsyncRequestProducer")
                    .skipWith((origin, self, args) -> ASYNC.get(origin).call(self, args)));
        }
        // retryRequest(HttpResponse, int execCount, HttpContext): "no" when the agent decides about the status.
        hooks.add(MethodHook.on(RETRY_STRATEGY, "retryRequest").takesCount(3)
                .takes(0, "org.apache.hc.core5.http.HttpResponse")
                .atExit((retry, origin, self, args) -> Boolean.TRUE.equals(retry)
                        && STRATEGY.get(origin).call(null, args[0], args[2]) != null ? Boolean.FALSE : retry));
        return hooks;
    }
}
