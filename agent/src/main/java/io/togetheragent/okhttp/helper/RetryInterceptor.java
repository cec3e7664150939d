package io.togetheragent.okhttp.helper;

import io.togetheragent.core.CallRetry;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The OkHttp application interceptor that retries Together calls. Application interceptors may call
 * {@code proceed} again; each attempt goes through the rest of the chain (bridge, cache, network) anew.
 * Defined by a {@code HelperClassLoader} under the application's OkHttp loader; it may use only public members
 * of the agent's boot-loaded classes.
 */
public final class RetryInterceptor implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        CallRetry retry = begin(chain, request);
        if (retry == null) {
            return chain.proceed(request);
        }
        Response response = chain.proceed(request);
        for (long delay; (delay = retry.nextDelayNanos(response.code(), response::header)) >= 0; ) {
            // The discarded response goes back to the pool before the wait, not after it.
            response.close();
            Call call = call(chain);
            try {
                retry.await(delay, () -> call != null && call.isCanceled());
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted while waiting to retry " + request.url().host());
            }
            // A call cancelled during the wait fails here with OkHttp's own "Canceled" exception.
            response = chain.proceed(request);
        }
        return response;
    }

    private static CallRetry begin(Chain chain, Request request) {
        try {
            HttpUrl url = request.url();
            return RetryPolicy.current().begin(request.method(), url.host(), url.port(), url.encodedPath(),
                    whyNotReplayable(request.body()), deadline(chain));
        } catch (Throwable t) {
            FailOpen.report("the OkHttp retry interceptor", t);
            return null;
        }
    }

    private static String whyNotReplayable(RequestBody body) {
        try {
            return body != null && (body.isOneShot() || body.isDuplex())
                    ? "its request body can be sent only once (isOneShot or isDuplex)" : null;
        } catch (LinkageError olderThan314) {
            // OkHttp before 3.14 has no one-shot or duplex bodies.
            return null;
        }
    }

    /** The call's own deadline ({@code callTimeout}), counted from here: interceptors before ours rarely take time. */
    private static long deadline(Chain chain) {
        Call call = call(chain);
        long timeout = call == null ? 0 : call.timeout().timeoutNanos();
        return timeout > 0 ? System.nanoTime() + timeout : Long.MAX_VALUE;
    }

    private static Call call(Chain chain) {
        try {
            return chain.call();
        } catch (LinkageError olderThan312) {
            return null;
        }
    }
}
