package io.togetheragent.it.probe;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Spring's RestClient posting JSON, on the request factory {@code --variant} names: {@code reactor} (Reactor Netty,
 * Spring Boot's pick when spring-webflux is on the class path), {@code jdk} (java.net.http), {@code simple}
 * (HttpURLConnection) or {@code httpcomponents} (Apache HttpClient 5).
 */
public final class RestClientProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        RestClient client = RestClient.builder().requestFactory(factory(p)).build();
        p.runCalls(i -> {
            try {
                RestClient.RequestBodySpec request = client.method(p.get ? HttpMethod.GET : HttpMethod.POST)
                        .uri(p.url).headers(h -> p.headers.forEach(h::set));
                if (!p.get) {
                    request.contentType(MediaType.APPLICATION_JSON).body(p.body());
                }
                request.exchange((req, response) -> {
                    ProbeArgs.reportStatus(i, response.getStatusCode().value(),
                            response.getHeaders().getFirst("x-test"), response.getBody().readAllBytes());
                    return null;
                });
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }

    private static ClientHttpRequestFactory factory(ProbeArgs p) {
        switch (p.variant) {
            case "reactor": return Reactor.factory(p);
            case "jdk": return new JdkClientHttpRequestFactory();
            case "simple": return new SimpleClientHttpRequestFactory();
            case "httpcomponents": return new HttpComponentsClientHttpRequestFactory();
            case "jetty": return new org.springframework.http.client.JettyClientHttpRequestFactory();
            default: throw new IllegalArgumentException("unknown request factory " + p.variant);
        }
    }

    /** Apart, so that the probe links without Reactor Netty, as on Jetty. */
    private static final class Reactor {
        static ClientHttpRequestFactory factory(ProbeArgs p) {
            reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create()
                    .resolver(DefaultAddressResolverGroup.INSTANCE);
            if (p.callTimeoutMillis > 0) {
                http = http.responseTimeout(Duration.ofMillis(p.callTimeoutMillis));
            }
            return new ReactorClientHttpRequestFactory(http);
        }
    }
}
