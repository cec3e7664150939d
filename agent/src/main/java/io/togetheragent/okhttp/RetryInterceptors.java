package io.togetheragent.okhttp;

import io.togetheragent.core.FailOpen;
import io.togetheragent.instrumentation.HelperClassLoader;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** Keeps exactly one {@code helper.RetryInterceptor} in every OkHttp client, one shared instance per OkHttp loader. */
public final class RetryInterceptors {
    static final String INTERCEPTOR = "io.togetheragent.okhttp.helper.RetryInterceptor";

    // Weak values too: the interceptor's class loader holds the OkHttp loader, which must stay collectable
    // (a redeployed web application).
    private static final Map<ClassLoader, WeakReference<Object>> byLoader = new WeakHashMap<>();

    private RetryInterceptors() {}

    /**
     * Called from every {@code OkHttpClient(Builder)}. A builder copied with {@code newBuilder()} already holds our
     * interceptor: it is moved to the end (nearest the network, after the application's own interceptors) rather
     * than added twice.
     */
    public static void addOnce(List<Object> interceptors, ClassLoader okHttpLoader) {
        try {
            FailOpen.injectFault("install");
            interceptors.removeIf(i -> i != null && INTERCEPTOR.equals(i.getClass().getName()));
            interceptors.add(forLoader(okHttpLoader));
        } catch (Throwable t) {
            FailOpen.report("adding the retry interceptor to an OkHttp client", t);
        }
    }

    private static synchronized Object forLoader(ClassLoader okHttpLoader) throws ReflectiveOperationException {
        WeakReference<Object> ref = byLoader.get(okHttpLoader);
        Object interceptor = ref == null ? null : ref.get();
        if (interceptor == null) {
            ClassLoader helpers = new HelperClassLoader(okHttpLoader, INTERCEPTOR);
            interceptor = Class.forName(INTERCEPTOR, true, helpers).getConstructor().newInstance();
            byLoader.put(okHttpLoader, new WeakReference<>(interceptor));
        }
        return interceptor;
    }
}
