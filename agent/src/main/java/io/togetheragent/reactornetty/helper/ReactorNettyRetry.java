package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.RequestTarget;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Puts a Together call of Reactor Netty's in the agent's hands: the connection {@code Mono} that {@code connect()}
 * returns is replaced by a {@link RetryingConnect}. Defined under Reactor Netty's loader.
 */
public final class ReactorNettyRetry implements CallHook {
    /** Set while the agent puts together one of its own attempts: the advice lets that one through. */
    private static final ThreadFlag OWN_ATTEMPT = new ThreadFlag();

    /** @param args the {@code Mono} of the connection, as Reactor Netty made it */
    @Override
    public Object call(Object client, Object... args) {
        // Only a request sender (HttpClient.request(...), get(), post()...) has a request; websockets have their own.
        if (OWN_ATTEMPT.isRaised() || !(client instanceof HttpClient.RequestSender)) {
            return null;
        }
        try {
            HttpClient http = (HttpClient) client;
            RequestTarget target = Target.of(http.configuration());
            if (target == null || !RetryPolicy.current().steers(target.host, target.port)) {
                return null;
            }
            return new RetryingConnect((Mono<?>) args[0], http, target);
        } catch (Throwable t) {
            FailOpen.report("the Reactor Netty retry", t);
            return null;
        }
    }

    /**
     * The first attempt: the application's request as it set it up, with the request kept as it goes out.
     * Attempts are put together through the client's public API and so come through {@code connect()} again.
     */
    static Flux<HttpClientResponse> first(HttpClient client, SentRequest sent) {
        HttpClient recording = client.doOnRequest((request, connection) -> sent.watch(connection));
        return own(recording);
    }

    /** A later attempt: the request as the first one went out, headers and body, byte for byte. */
    static Flux<HttpClientResponse> again(HttpClient client, SentRequest sent) {
        BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> replay = sent::replay;
        return own((HttpClient) ((HttpClient.RequestSender) client).send(replay));
    }

    private static Flux<HttpClientResponse> own(HttpClient client) {
        OWN_ATTEMPT.raise();
        try {
            return ((HttpClient.RequestSender) client).responseConnection((response, connection) -> Mono.just(response));
        } finally {
            OWN_ATTEMPT.lower();
        }
    }
}
