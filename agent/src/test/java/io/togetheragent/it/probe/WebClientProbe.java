package io.togetheragent.it.probe;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * A Spring WebFlux application: WebClient on its default connector, Reactor Netty, as Spring Boot sets it up. The
 * body goes with {@code bodyValue} ({@code --unreplayable}: as a {@code Flux} of two strings); {@code --async}
 * subscribes instead of blocking; {@code --stream} reads the body with {@code bodyToFlux}, reporting each piece.
 */
public final class WebClientProbe {
    private static final long START = System.nanoTime();

    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        // The JDK's resolver, so that the tests' hosts file sends Together's names to loopback.
        HttpClient http = HttpClient.create().resolver(DefaultAddressResolverGroup.INSTANCE);
        if (p.callTimeoutMillis > 0) {
            http = http.responseTimeout(Duration.ofMillis(p.callTimeoutMillis));
        }
        WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        p.runCalls(i -> call(client, p, i));
        ReactorNettyProbe.reportLeaks();
        p.exit();
    }

    private static void call(WebClient client, ProbeArgs p, int i) {
        WebClient.RequestBodySpec request = client.method(p.get ? org.springframework.http.HttpMethod.GET
                : org.springframework.http.HttpMethod.POST).uri(p.url).headers(h -> p.headers.forEach(h::set));
        WebClient.RequestHeadersSpec<?> withBody = p.get ? request
                : p.unreplayable ? request.contentType(MediaType.APPLICATION_JSON).body(BodyInserters.fromPublisher(
                        Flux.just(p.body().substring(0, 10), p.body().substring(10)), String.class))
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(p.body());
        Mono<String[]> call = withBody.exchangeToMono(response -> (p.stream
                ? response.bodyToFlux(String.class).doOnNext(chunk -> System.out.println("CHUNK "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - START) + " " + chunk.replace("\n", "\\n")))
                        .reduce("", String::concat)
                : response.bodyToMono(String.class)).defaultIfEmpty("")
                .map(text -> new String[] {String.valueOf(response.statusCode().value()),
                    response.headers().asHttpHeaders().getFirst("x-test"), text}));
        if (p.reactorTimeoutMillis > 0) {
            call = call.timeout(Duration.ofMillis(p.reactorTimeoutMillis));
        }
        try {
            if (p.async) {
                async(call, p, i);
            } else {
                report(i, call.block(Duration.ofSeconds(60)));
            }
        } catch (Throwable t) {
            ProbeArgs.reportError(i, reactor.core.Exceptions.unwrap(t));
        }
    }

    private static void async(Mono<String[]> call, ProbeArgs p, int i) throws InterruptedException {
        AtomicInteger callbacks = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Disposable subscription = call.subscribe(r -> {
            callbacks.incrementAndGet();
            report(i, r);
            done.countDown();
        }, e -> {
            callbacks.incrementAndGet();
            ProbeArgs.reportError(i, e);
            done.countDown();
        });
        if (p.cancelAfterMillis > 0) {
            Thread.sleep(p.cancelAfterMillis);
            subscription.dispose();
            System.out.println("CANCELLED " + subscription.isDisposed());
            // Long enough for a retry to show, had one been sent: the test's retry-after is 3 s.
            Thread.sleep(4_000);
            return;
        }
        // Into the wait: the first request through Reactor Netty can take most of a second; the test's wait is 2 s.
        Thread.sleep(1_200);
        System.out.println("SLEEPING_IN_AGENT " + ProbeArgs.threadsSleepingInTheAgent());
        done.await(60, TimeUnit.SECONDS);
        Thread.sleep(100);
        System.out.println("CALLBACKS " + callbacks.get());
    }

    private static void report(int call, String[] r) {
        ProbeArgs.reportStatus(call, Integer.parseInt(r[0]), r[1], r[2].getBytes(StandardCharsets.UTF_8));
    }
}
