package io.togetheragent.okhttp.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderList;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.retry.BlockingRetry;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * The OkHttp application interceptor that retries Together calls. Application interceptors may call
 * {@code proceed} again; each attempt goes through the rest of the chain (bridge, cache, network) anew.
 * Defined by a {@code HelperClassLoader} under the application's OkHttp loader; it may use only public members
 * of the agent's other classes, which another loader defines.
 */
public final class RetryInterceptor implements Interceptor {
    /** The most of a 401/402/429 body the key check looks at; Together's error bodies are far smaller. */
    private static final long KEY_CHECK_BODY_BYTES = 16 * 1024;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request asked = chain.request();
        CallRetry retry = begin(chain, asked);
        if (retry == null) {
            return chain.proceed(asked);
        }
        String repaired = retry.repairedAuthorization();
        Request request = repaired == null ? asked : asked.newBuilder().header("Authorization", repaired).build();
        Call call = call(chain);
        return BlockingRetry.run(retry, new BlockingRetry.Call<Response>() {
            @Override
            public Response send() throws IOException {
                return chain.proceed(request);
            }

            @Override
            public int status(Response response) {
                return response.code();
            }

            @Override
            public HeaderLookup headers(Response response) {
                // Walked by index: OkHttp's headers(name) makes a list for each name asked. First values, as every
                // adapter reads a repeated header (OkHttp's header(name) gives the last).
                Headers headers = response.headers();
                return new HeaderList() {
                    @Override
                    public int count() {
                        return headers.size();
                    }

                    @Override
                    public String name(int index) {
                        return headers.name(index);
                    }

                    @Override
                    public String value(int index) {
                        return headers.value(index);
                    }
                };
            }

            @Override
            public void discard(Response response) {
                // The discarded response goes back to the pool before the wait, not after it.
                response.close();
            }

            @Override
            public boolean cancelled() {
                return call != null && call.isCanceled();
            }

            @Override
            public void reset() {
                // Every proceed() goes through the rest of the chain anew.
            }

            @Override
            public String body(Response response) {
                try {
                    return response.peekBody(KEY_CHECK_BODY_BYTES).string();
                } catch (IOException unreadable) {
                    return null;
                }
            }
        }, request.url().host());
    }

    private static CallRetry begin(Chain chain, Request request) {
        try {
            HttpUrl url = request.url();
            CallRetry retry = RetryPolicy.current().begin(request.method(), url.host(), url.port(),
                    url.encodedPath(), whyNotReplayable(request.body()), deadline(chain),
                    request.header("Authorization"), true);
            return retry == null ? null : retry.identify(request::header, () -> bytes(request.body()));
        } catch (Throwable t) {
            FailOpen.report("the OkHttp retry interceptor", t);
            return null;
        }
    }

    /** The body's bytes, written again (asked only of a replayable body, for its model and to recognise a resend). */
    private static byte[] bytes(RequestBody body) {
        try {
            return RequestBodies.bytes(body == null ? null : out -> {
                Buffer buffer = new Buffer();
                body.writeTo(buffer);
                buffer.writeTo(out);
            }, body == null ? 0 : body.contentLength());
        } catch (IOException unknownLength) {
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
