package io.togetheragent.okhttp;

import java.util.List;
import net.bytebuddy.asm.Advice;
import okhttp3.OkHttpClient;

/** Inlined into {@code OkHttpClient(Builder)}: hands the builder's interceptor list to the agent. */
public final class OkHttpClientAdvice {
    private OkHttpClientAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    @SuppressWarnings("unchecked")
    static void addRetryInterceptor(@Advice.Argument(0) OkHttpClient.Builder builder) {
        RetryInterceptors.addOnce((List<Object>) (List<?>) builder.interceptors(), OkHttpClient.class.getClassLoader());
    }
}
