package io.togetheragent.okhttp.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.instrumentation.CallHook;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Keeps exactly one {@link RetryInterceptor} in every OkHttp client, one shared instance per copy of OkHttp.
 * Defined under OkHttp's loader.
 */
public final class OkHttpRetry implements CallHook {
    private final RetryInterceptor interceptor = new RetryInterceptor();

    /**
     * Called from every {@code OkHttpClient(Builder)}, with the builder. A builder copied with {@code newBuilder()}
     * already holds our interceptor: it is moved to the end (nearest the network, after the application's own
     * interceptors) rather than added twice.
     */
    @Override
    public Object call(Object unused, Object... builder) {
        try {
            FailOpen.injectFault("install");
            List<Interceptor> interceptors = ((OkHttpClient.Builder) builder[0]).interceptors();
            // By name: a copy from another loader of the agent's is no less ours.
            interceptors.removeIf(i -> i != null && i.getClass().getName().equals(RetryInterceptor.class.getName()));
            interceptors.add(interceptor);
        } catch (Throwable t) {
            FailOpen.report("adding the retry interceptor to an OkHttp client", t);
        }
        return null;
    }
}
