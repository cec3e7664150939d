package io.togetheragent.it.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain java.net.http application: {@code send}, or {@code sendAsync} on an executor of its own. */
public final class JdkHttpClientProbe {
    /** The pipe of {@code --publisher pipe}, written by the calling thread after sendAsync. */
    private static java.io.PipedOutputStream pipe;
    private static byte[] pipeBytes;

    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "app-executor-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().executor(executor).build();
        for (int i = 0; i < p.calls; i++) {
            ProbeArgs.callStarts(i);
            HttpRequest request = request(p);
            if (p.async) {
                CompletableFuture<HttpResponse<byte[]>> future =
                        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
                if (pipe != null) {
                    pipe.write(pipeBytes);
                    pipe.close();
                    pipe = null;
                }
                if (p.cancel) {
                    p.intoTheWait();
                    System.out.println("CANCELLED " + future.cancel(true));
                    Thread.sleep(2_000);
                    continue;
                }
                p.reportThreadsSleepingInTheWait();
                AtomicInteger callbacks = new AtomicInteger();
                int call = i;
                future.whenComplete((r, e) -> callbacks.incrementAndGet())
                        .handle((r, e) -> {
                            report(call, r, e);
                            return null;
                        }).get(60, TimeUnit.SECONDS);
                Thread.sleep(100);
                System.out.println("CALLBACKS " + callbacks.get());
            } else {
                try {
                    report(i, client.send(request, HttpResponse.BodyHandlers.ofByteArray()), null);
                } catch (Exception e) {
                    report(i, null, e);
                }
            }
            if (i == 0 && p.pauseAfterFirst != null) {
                ProbeArgs.readyThenAwait(p.pauseAfterFirst);
            }
        }
        System.exit(0);
    }

    private static void report(int call, HttpResponse<byte[]> r, Throwable e) {
        if (e != null) {
            // sendAsync's failures come wrapped by the future; send's come as they are.
            boolean wrapped = e instanceof java.util.concurrent.CompletionException && e.getCause() != null;
            ProbeArgs.reportError(call, wrapped ? e.getCause() : e);
        } else {
            ProbeArgs.reportStatus(call, r.statusCode(), r.headers().firstValue("x-test").orElse(null), r.body());
        }
    }

    static HttpRequest request(ProbeArgs p) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url));
        p.headers.forEach(b::header);
        if (p.callTimeoutMillis > 0) {
            b.timeout(Duration.ofMillis(p.callTimeoutMillis));
        }
        return p.get ? b.GET().build() : b.POST(publisher(p)).header("Content-Type", "application/json").build();
    }

    private static BodyPublisher publisher(ProbeArgs p) throws Exception {
        byte[] bytes = p.bodyBytes();
        if (p.unreplayable) {
            return BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes));
        }
        switch (p.publisher) {
            case "string": return BodyPublishers.ofString(p.body());
            case "bytes": return BodyPublishers.ofByteArray(bytes);
            case "byte-arrays": {
                int half = bytes.length / 2;
                return BodyPublishers.ofByteArrays(List.of(java.util.Arrays.copyOfRange(bytes, 0, half),
                        java.util.Arrays.copyOfRange(bytes, half, bytes.length)));
            }
            case "file": {
                Path file = Files.createTempFile("probe", ".json");
                Files.write(file, bytes);
                file.toFile().deleteOnExit();
                return BodyPublishers.ofFile(file);
            }
            case "input-stream": return BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes));
            // A pipe that the calling thread fills once sendAsync has returned.
            case "pipe": {
                java.io.PipedInputStream in = new java.io.PipedInputStream();
                pipe = new java.io.PipedOutputStream(in);
                pipeBytes = bytes;
                return BodyPublishers.ofInputStream(() -> in);
            }
            // A supplier that hands out the one stream it has, read or not.
            case "input-stream-once": {
                java.io.InputStream once = new java.io.ByteArrayInputStream(bytes);
                return BodyPublishers.ofInputStream(() -> once);
            }
            // Publishers the JDK cannot ask again: one of its own wrapped, with and without a length, and one-shot.
            case "from-publisher": return BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes));
            case "from-publisher-sized":
                return BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes), bytes.length);
            case "one-shot": return new OneShotPublisher(bytes);
            // Spring's JdkClientHttpRequest writes its body on an executor of its own: this one waits 800 ms first.
            case "slow": return BodyPublishers.fromPublisher(new LaterPublisher(bytes, 800, null));
            case "failing":
                return BodyPublishers.fromPublisher(new LaterPublisher(bytes, 0, new java.io.IOException("no more")));
            case "declared-longer":
                return BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes), bytes.length + 5);
            case "declared-shorter":
                return BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes), bytes.length - 5);
            default: throw new IllegalArgumentException("unknown publisher " + p.publisher);
        }
    }

    /**
     * A publisher of an application's own that publishes from a thread of its own, after a pause, in two pieces, as
     * they are asked for; with a failure, only the first piece, then the failure.
     */
    private static final class LaterPublisher implements java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> {
        private final byte[] bytes;
        private final long pauseMillis;
        private final Exception failure;

        LaterPublisher(byte[] bytes, long pauseMillis, Exception failure) {
            this.bytes = bytes;
            this.pauseMillis = pauseMillis;
            this.failure = failure;
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            java.util.concurrent.Semaphore asked = new java.util.concurrent.Semaphore(0);
            subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
                @Override
                public void request(long n) {
                    asked.release((int) Math.min(n, 2));
                }

                @Override
                public void cancel() {
                }
            });
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(pauseMillis);
                    int half = bytes.length / 2;
                    asked.acquire();
                    subscriber.onNext(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, 0, half)));
                    if (failure != null) {
                        subscriber.onError(failure);
                        return;
                    }
                    asked.acquire();
                    subscriber.onNext(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, half,
                            bytes.length)));
                    subscriber.onComplete();
                } catch (InterruptedException e) {
                    subscriber.onError(e);
                }
            }, "app-body-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** A body publisher of an application's own that publishes its bytes to its first subscriber only. */
    private static final class OneShotPublisher implements BodyPublisher {
        private final java.util.concurrent.atomic.AtomicReference<byte[]> bytes;
        private final long length;

        OneShotPublisher(byte[] bytes) {
            this.bytes = new java.util.concurrent.atomic.AtomicReference<>(bytes);
            this.length = bytes.length;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            byte[] once = bytes.getAndSet(new byte[0]);
            BodyPublishers.ofByteArrays(List.of(java.util.Arrays.copyOfRange(once, 0, once.length / 2),
                    java.util.Arrays.copyOfRange(once, once.length / 2, once.length))).subscribe(subscriber);
        }
    }
}
