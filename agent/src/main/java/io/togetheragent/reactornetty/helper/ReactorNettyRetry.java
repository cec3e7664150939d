package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.RequestTarget;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Puts a Together call of Reactor Netty's in the agent's hands: the connection {@code Mono} that {@code connect()}
 * returns is replaced by a {@link RetryingConnect}. Defined under Reactor Netty's loader.
 */
public final class ReactorNettyRetry implements CallHook {
    private static final Logger log = LoggerFactory.getLogger(ReactorNettyRetry.class);
    /** Set while the agent puts together one of its own attempts: the advice lets that one through. */
    private static final ThreadFlag OWN_ATTEMPT = new ThreadFlag();
    /**
     * The client's {@code connect()}, the hooked method itself: an attempt's connection {@code Mono}, emitting the
     * connection as the answer's head comes. It is protected; opened here once (Reactor Netty is a class-path
     * library, which reflection may open), it spares each attempt the operators of the public
     * {@code responseConnection} around it. Null where it cannot be opened: then attempts go through that.
     */
    private static final MethodHandle CONNECT = connect();

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
     * The first attempt: the application's request as it set it up, with the request kept as it goes out and held
     * there until its turn.
     * Attempts are put together through the client's API and so come through {@code connect()} again.
     */
    static Publisher<?> first(HttpClient client, SentRequest sent, RequestTap.FirstTurn turn) {
        return own(client.doOnRequest((request, connection) -> RequestTap.watch(connection, sent, turn)));
    }

    /** A later attempt: the request as the first one went out, headers and body, byte for byte. */
    static Publisher<?> again(HttpClient client, SentRequest sent) {
        BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> replay = sent::replay;
        return own((HttpClient) ((HttpClient.RequestSender) client).send(replay));
    }

    /** The attempt's connection, emitted as its answer's head comes (an {@code HttpClientResponse}). */
    private static Publisher<?> own(HttpClient client) {
        OWN_ATTEMPT.raise();
        try {
            if (CONNECT != null) {
                return (Publisher<?>) CONNECT.invoke(client);
            }
            return ((HttpClient.RequestSender) client)
                    .responseConnection((response, connection) -> Mono.just(response));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // connect() declares no checked exception.
            throw new IllegalStateException(t);
        } finally {
            OWN_ATTEMPT.lower();
        }
    }

    private static MethodHandle connect() {
        try {
            FailOpen.injectFault("reactor-netty-connect");
            Method connect = Class.forName("reactor.netty.transport.ClientTransport", false,
                    HttpClient.class.getClassLoader()).getDeclaredMethod("connect");
            connect.setAccessible(true);
            return MethodHandles.lookup().unreflect(connect);
        } catch (Throwable t) {
            // Nothing the operator must act on: every call is still retried, at a little more cost.
            log.debug("Reactor Netty's connect() could not be opened ({}): its attempts go through"
                    + " responseConnection", t.toString());
            return null;
        }
    }
}
