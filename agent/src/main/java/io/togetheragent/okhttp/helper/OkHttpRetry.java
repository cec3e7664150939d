package io.togetheragent.okhttp.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.LogOnce;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps exactly one {@link RetryInterceptor} in every OkHttp client, one shared instance per copy of OkHttp, and
 * makes the Together calls of a client built before the agent came through a copy of it that has one. Defined
 * under OkHttp's loader.
 */
public final class OkHttpRetry implements CallHook {
    private static final Logger log = LoggerFactory.getLogger(OkHttpRetry.class);

    private final RetryInterceptor interceptor = new RetryInterceptor();
    /**
     * Clients built before the agent was attached, which have no interceptor of the agent's, each with a copy of it
     * that has one, or {@link #NO_COPY}. Weak keys: a copy holds the client's pool and dispatcher, never the client.
     */
    private final Map<OkHttpClient, Object> copies = Collections.synchronizedMap(new WeakHashMap<>());
    /** A copy would have no interceptor either (the agent failed to add it, and said so): the client's calls go. */
    private static final Object NO_COPY = new Object();

    /**
     * {@code "built"}, with the builder of a client being built; {@code "newCall"}, with the client and its request:
     * a call of its own, or null for the client's.
     */
    @Override
    public Object call(Object client, Object... args) {
        return "built".equals(args[0]) ? built((OkHttpClient.Builder) args[1])
                : newCall((OkHttpClient) client, (Request) args[1]);
    }

    /**
     * Called from every {@code OkHttpClient(Builder)}. A builder copied with {@code newBuilder()} already holds our
     * interceptor: it is moved to the end (nearest the network, after the application's own interceptors) rather
     * than added twice.
     */
    private Object built(OkHttpClient.Builder builder) {
        try {
            FailOpen.injectFault("okhttp-interceptor");
            List<Interceptor> interceptors = builder.interceptors();
            interceptors.removeIf(OkHttpRetry::ours);
            interceptors.add(interceptor);
        } catch (Throwable t) {
            FailOpen.report("adding the retry interceptor to an OkHttp client", t);
        }
        return null;
    }

    /**
     * A Together call of a client built before the agent came (an attach to a running JVM) goes through a copy of
     * the client made with {@code newBuilder()}: the same settings, interceptors, connection pool and dispatcher,
     * and the agent's interceptor last. Every other call is the client's own.
     */
    private Object newCall(OkHttpClient client, Request request) {
        try {
            HttpUrl url = request.url();
            if (hasOurs(client) || !RetryPolicy.current().steers(url.host(), url.port())) {
                return null;
            }
            Object copy = copies.computeIfAbsent(client, built -> {
                OkHttpClient made = built.newBuilder().build();
                if (!hasOurs(made)) {
                    return NO_COPY;
                }
                if (LogOnce.first("okhttp built before the agent")) {
                    log.info("an OkHttp client built before the agent was attached: its calls to {} go through a copy"
                            + " of it with the agent's interceptor, sharing its connections and dispatcher (said once)",
                            url.host());
                }
                return made;
            });
            return copy == NO_COPY ? null : ((OkHttpClient) copy).newCall(request);
        } catch (Throwable t) {
            FailOpen.report("a call of an OkHttp client built before the agent", t);
            return null;
        }
    }

    /** Whether the client was built with the agent: its interceptor is then the last of the client's. */
    private static boolean hasOurs(OkHttpClient client) {
        List<Interceptor> interceptors = client.interceptors();
        return !interceptors.isEmpty() && ours(interceptors.get(interceptors.size() - 1));
    }

    /** By name: a copy from another loader of the agent's is no less ours. */
    private static boolean ours(Interceptor interceptor) {
        return interceptor != null && interceptor.getClass().getName().equals(RetryInterceptor.class.getName());
    }
}
