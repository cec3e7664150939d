package io.togetheragent.it.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A plain Reactor Netty application, written against the 1.0 API so it runs on every line: one {@code HttpClient},
 * a request per call, received with {@code --receive} {@code responseSingle} (the default), {@code response},
 * {@code responseContent} or {@code responseConnection}; the body given with {@code --publisher} {@code string}
 * ({@code ByteBufFlux.fromString}, the default), {@code mono} (one buffer) or {@code flux} (two). Headers are set on
 * the client unless {@code --variant send-headers} sets them while sending, as Spring does. {@code --async}
 * subscribes instead of blocking; {@code --stream} reports each chunk of the body as it comes; {@code --pool} limits
 * the client's connections to the host.
 */
public final class ReactorNettyProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        // The JDK's resolver, so that the tests' hosts file sends Together's names to loopback.
        HttpClient client = (p.pool > 0 ? HttpClient.create(ConnectionProvider.create("probe", p.pool))
                : HttpClient.create()).resolver(DefaultAddressResolverGroup.INSTANCE);
        if (!p.variant.equals("send-headers")) {
            client = client.headers(h -> p.headers.forEach(h::set));
        }
        if (p.callTimeoutMillis > 0) {
            client = client.responseTimeout(Duration.ofMillis(p.callTimeoutMillis));
        }
        HttpClient base = client;
        p.runCalls(i -> call(base, p, i));
        reportLeaks();
        p.exit();
    }

    /**
     * Netty reports a leaked buffer only once the collector has found it unreachable and a later allocation looks:
     * with {@code -Dio.netty.leakDetection.level=paranoid}, every buffer of the run is tracked, and this makes the
     * report come before the JVM ends.
     */
    static void reportLeaks() throws InterruptedException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            return;
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 64; i++) {
                io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(256).release();
            }
        }
        System.out.println("LEAK CHECK DONE");
    }

    private static void call(HttpClient client, ProbeArgs p, int i) {
        MonoCall.run(receive(sender(client, p), p, i), p, i);
    }

    /**
     * Makes one call, as {@code {status, x-test, body}}: with {@code --reactor-timeout} a Reactor {@code timeout()},
     * blocking or with {@code --async} subscribed to (and with {@code --cancel} disposed); reports it.
     */
    private static HttpClient.ResponseReceiver<?> sender(HttpClient client, ProbeArgs p) {
        HttpClient.RequestSender sender = client.request(p.get ? HttpMethod.GET : HttpMethod.POST).uri(p.url);
        if (p.get) {
            return sender;
        }
        Publisher<? extends ByteBuf> body = body(p);
        if (p.variant.equals("send-headers")) {
            return sender.send((request, out) -> {
                p.headers.forEach(request::header);
                request.header("Content-Type", "application/json");
                return out.send(body);
            });
        }
        return sender.send(body);
    }

    private static Publisher<? extends ByteBuf> body(ProbeArgs p) {
        byte[] bytes = p.bodyBytes();
        if (p.unreplayable) {
            // Sent once: a second subscription would get nothing.
            AtomicInteger subscriptions = new AtomicInteger();
            return Flux.defer(() -> subscriptions.getAndIncrement() == 0
                    ? Flux.just(Unpooled.wrappedBuffer(bytes)) : Flux.<ByteBuf>empty());
        }
        switch (p.publisher) {
            case "string": return ByteBufFlux.fromString(Mono.just(p.body()));
            case "mono": return Mono.fromCallable(() -> Unpooled.wrappedBuffer(bytes));
            case "flux": {
                int half = bytes.length / 2;
                return Flux.just(java.util.Arrays.copyOfRange(bytes, 0, half),
                        java.util.Arrays.copyOfRange(bytes, half, bytes.length)).map(Unpooled::wrappedBuffer);
            }
            default: throw new IllegalArgumentException("unknown publisher " + p.publisher);
        }
    }

    /** The call, as {@code {status, x-test, body}}: each receive form reads the answer its own way. */
    private static Mono<String[]> receive(HttpClient.ResponseReceiver<?> receiver, ProbeArgs p, int i) {
        if (p.stream) {
            return receiver.response((res, body) -> body.asString().map(MonoCall::chunk)
                    .reduce("", String::concat)
                    .map(text -> new String[] {String.valueOf(res.status().code()), res.responseHeaders().get("x-test"),
                        text}))
                    .next();
        }
        switch (p.receive) {
            case "responseSingle":
                return receiver.responseSingle((res, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new String[] {String.valueOf(res.status().code()),
                            res.responseHeaders().get("x-test"), text}));
            case "response":
                // The body is dropped by Reactor Netty itself.
                return receiver.response().map(res -> new String[] {String.valueOf(res.status().code()),
                    res.responseHeaders().get("x-test"), ""});
            case "responseContent":
                // No status here: 200 stands for an answer the stand-in gives to a call that got through.
                return receiver.responseContent().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new String[] {
                            text.contains("\"chat.completion\"") || text.contains("\"ok\"") ? "200" : "0", null, text});
            case "responseConnection":
                return receiver.responseConnection((res, conn) -> conn.inbound().receive().aggregate()
                        .asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new String[] {String.valueOf(res.status().code()),
                            res.responseHeaders().get("x-test"), text}))
                        .next();
            default: throw new IllegalArgumentException("unknown receive form " + p.receive);
        }
    }

}
