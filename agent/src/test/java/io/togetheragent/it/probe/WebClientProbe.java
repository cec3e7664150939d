package io.togetheragent.it.probe;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * A Spring WebFlux application: WebClient on its default connector, Reactor Netty, as Spring Boot sets it up, or
 * ({@code --variant jetty|jdk|httpcomponents}) on Jetty's, the JDK's or Apache HttpClient 5's client. The
 * body goes with {@code bodyValue} ({@code --unreplayable}: as a {@code Flux} of two strings; {@code --publisher
 * half-later}: its first ten characters at once, the rest 200 ms later; {@code --publisher failing}: its first ten
 * characters, then an error); {@code --async}
 * subscribes instead of blocking; {@code --stream} reads the body with {@code bodyToFlux}, reporting each piece.
 */
public final class WebClientProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        WebClient client = WebClient.builder().clientConnector(
                "jetty".equals(p.variant) ? new org.springframework.http.client.reactive.JettyClientHttpConnector()
                : "jdk".equals(p.variant) ? new org.springframework.http.client.reactive.JdkClientHttpConnector()
                : "httpcomponents".equals(p.variant) ? HttpComponents.connector(p)
                : Reactor.connector(p)).build();
        p.runCalls(i -> call(client, p, i));
        if (!"jetty".equals(p.variant) && !"jdk".equals(p.variant) && !"httpcomponents".equals(p.variant)) {
            ReactorNettyProbe.reportLeaks();
        }
        p.exit();
    }

    /** Apart, so that the probe links without Reactor Netty, as on Jetty. */
    private static final class Reactor {
        static org.springframework.http.client.reactive.ClientHttpConnector connector(ProbeArgs p) {
            // The JDK's resolver, so that the tests' hosts file sends Together's names to loopback.
            HttpClient http = HttpClient.create().resolver(DefaultAddressResolverGroup.INSTANCE);
            if (p.callTimeoutMillis > 0) {
                http = http.responseTimeout(Duration.ofMillis(p.callTimeoutMillis));
            }
            return new ReactorClientHttpConnector(http);
        }
    }

    /** Apart, so that the probe links without HttpClient 5 on the class path. */
    private static final class HttpComponents {
        static org.springframework.http.client.reactive.ClientHttpConnector connector(ProbeArgs p) {
            org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder builder =
                    org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom();
            if (p.callTimeoutMillis > 0) {
                builder.setDefaultRequestConfig(org.apache.hc.client5.http.config.RequestConfig.custom()
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(p.callTimeoutMillis))
                        .build());
            }
            org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client = builder.build();
            client.start();
            return new org.springframework.http.client.reactive.HttpComponentsClientHttpConnector(client);
        }
    }

    private static void call(WebClient client, ProbeArgs p, int i) {
        WebClient.RequestBodySpec request = client.method(p.get ? org.springframework.http.HttpMethod.GET
                : org.springframework.http.HttpMethod.POST).uri(p.url).headers(h -> p.headers.forEach(h::set));
        WebClient.RequestHeadersSpec<?> withBody = p.get ? request
                : p.unreplayable ? request.contentType(MediaType.APPLICATION_JSON).body(BodyInserters.fromPublisher(
                        Flux.just(p.body().substring(0, 10), p.body().substring(10)), String.class))
                : "failing".equals(p.publisher) ? request.contentType(MediaType.APPLICATION_JSON).body(
                        BodyInserters.fromPublisher(Flux.concat(Flux.just(p.body().substring(0, 10)),
                                Mono.error(new java.io.IOException("the application's body failed"))), String.class))
                : "half-later".equals(p.publisher) ? request.contentType(MediaType.APPLICATION_JSON).body(
                        BodyInserters.fromPublisher(Flux.concat(Flux.just(p.body().substring(0, 10)),
                                Mono.just(p.body().substring(10)).delayElement(Duration.ofMillis(200))), String.class))
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(p.body());
        Mono<String[]> call = withBody.exchangeToMono(response -> (p.stream
                ? response.bodyToFlux(String.class).map(MonoCall::chunk).reduce("", String::concat)
                : response.bodyToMono(String.class)).defaultIfEmpty("")
                .map(text -> new String[] {String.valueOf(response.statusCode().value()),
                    response.headers().asHttpHeaders().getFirst("x-test"), text}));
        MonoCall.run(call, p, i);
    }
}
