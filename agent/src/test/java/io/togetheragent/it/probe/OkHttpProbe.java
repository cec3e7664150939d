package io.togetheragent.it.probe;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/** A plain OkHttp application, written against the 3.14 API so it runs on OkHttp 3, 4 and 5 alike. */
public final class OkHttpProbe {
    private static final MediaType JSON = MediaType.parse("application/json; charset=utf-8");

    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (p.callTimeoutMillis > 0) {
            builder.callTimeout(p.callTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        OkHttpClient client = builder.build();
        for (int i = 0; i < p.derive; i++) {
            client = client.newBuilder().build();
        }
        System.out.println("INTERCEPTORS " + countAgentInterceptors(client) + " LOADER "
                + (OkHttpClient.class.getClassLoader() == ClassLoader.getSystemClassLoader() ? "system" : "other"));
        AtomicInteger callbacks = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(p.calls);
        OkHttpClient shared = client;
        if (p.async) {
            for (int i = 0; i < p.calls; i++) {
                ProbeArgs.callStarts(i);
                enqueue(shared.newCall(request(p, i)), i, callbacks, done);
            }
        } else {
            p.runCalls(i -> execute(shared.newCall(request(p, i)), i));
        }
        if (p.async) {
            done.await(60, TimeUnit.SECONDS);
            // Time for any second, wrong callback to show up.
            Thread.sleep(300);
            System.out.println("CALLBACKS " + callbacks.get());
        }
        p.exit();
    }

    private static Request request(ProbeArgs p, int call) {
        Request.Builder b = new Request.Builder().url(p.url);
        p.headers.forEach(b::header);
        if (p.alternateKey != null && call % 2 == 1) {
            b.header("Authorization", "Bearer " + p.alternateKey);
        }
        if (!p.get) {
            byte[] body = p.distinctBodies
                    ? ("{\"call\":" + call + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8) : p.bodyBytes();
            b.post(p.unreplayable ? new OneShotBody(body) : RequestBody.create(JSON, body));
        }
        return b.build();
    }

    private static void execute(Call call, int i) {
        try (Response r = call.execute()) {
            ProbeArgs.reportStream(i, r.code(), r.header("x-test"), r.body().byteStream());
        } catch (Throwable t) {
            ProbeArgs.reportError(i, t);
        }
    }

    private static void enqueue(Call call, int i, AtomicInteger callbacks, CountDownLatch done) {
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                callbacks.incrementAndGet();
                ProbeArgs.reportError(i, e);
                done.countDown();
            }

            @Override
            public void onResponse(Call c, Response r) throws IOException {
                callbacks.incrementAndGet();
                try (Response closing = r) {
                    ProbeArgs.reportStream(i, r.code(), r.header("x-test"), r.body().byteStream());
                }
                done.countDown();
            }
        });
    }

    private static long countAgentInterceptors(OkHttpClient client) {
        return client.interceptors().stream()
                .map(Interceptor::getClass).filter(c -> c.getName().startsWith("io.togetheragent.")).count();
    }

    /** A body that can be written only once, like one streamed from a socket or a pipe. */
    static final class OneShotBody extends RequestBody {
        private final byte[] bytes;
        private boolean written;

        OneShotBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            if (written) {
                throw new IOException("one-shot body written twice");
            }
            written = true;
            sink.write(bytes);
        }
    }
}
