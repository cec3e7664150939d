package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.RequestTarget;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import java.time.Duration;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;

/**
 * The connection {@code Mono} of a Together request, in place of Reactor Netty's: like it, cold, each subscription
 * one call; each call a {@link ReactorCall}, which emits the connection of the answer the application is to get.
 */
final class RetryingConnect extends Mono<Object> {
    private final Mono<?> original;
    private final HttpClient client;
    private final RequestTarget target;

    RetryingConnect(Mono<?> original, HttpClient client, RequestTarget target) {
        this.original = original;
        this.client = client;
        this.target = target;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        CallRetry retry = begin();
        if (retry == null) {
            original.subscribe(actual);
            return;
        }
        new ReactorCall(actual, client, retry, RetryPolicy.current().settings().maxReplayBytes()).start();
    }

    private CallRetry begin() {
        try {
            HttpClientConfig config = client.configuration();
            // Headers set on the client are known now; Spring sets its own only while sending (see sentWith). Either
            // is repaired in the head, held until its turn (ReactorCall.repairKey).
            String authorization = ConfiguredHeaders.get(config, "authorization");
            // responseTimeout is how long the application waits for an answer: the waits stay within it.
            Duration timeout = config.responseTimeout();
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            return RetryPolicy.current().begin(config.method().name(), target.host, target.port, target.path, null,
                    deadline, authorization != null ? authorization : KeyCheck.NOT_SEEN, true);
        } catch (Throwable t) {
            FailOpen.report("the Reactor Netty retry", t);
            return null;
        }
    }
}
