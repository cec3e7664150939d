package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.CallRetry;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.RetryPolicy;
import io.togetheragent.jdkhttpclient.HttpClientHook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a Together call through {@code java.net.http.HttpClient} as many times as the retry core asks. The
 * agent's own attempts go through the client's original {@code send}/{@code sendAsync}; the advice lets them pass.
 */
public final class HttpClientRetry implements HttpClientHook {
    /** Set while the agent itself sends an attempt, so the advice runs the original method. */
    private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

    /** The JDK's own publishers that publish the same bytes to every subscriber: every send is a new subscriber. */
    private static final Set<String> REPLAYABLE_PUBLISHERS = Set.of(
            "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
            "jdk.internal.net.http.RequestPublishers$StringPublisher",
            "jdk.internal.net.http.RequestPublishers$IterablePublisher",
            "jdk.internal.net.http.RequestPublishers$FilePublisher",
            // ofInputStream asks its supplier for a new stream on every subscription.
            "jdk.internal.net.http.RequestPublishers$InputStreamPublisher",
            "jdk.internal.net.http.RequestPublishers$EmptyPublisher");

    @Override
    public Object send(Object client, Object request, Object handler) throws IOException, InterruptedException {
        return send((HttpClient) client, (HttpRequest) request, (HttpResponse.BodyHandler<?>) handler);
    }

    @Override
    public Object sendAsync(Object client, Object request, Object handler, Object pushPromiseHandler) {
        CallRetry retry = begin((HttpRequest) request, pushPromiseHandler);
        return retry == null ? null
                : new AsyncCall<>((HttpClient) client, (HttpRequest) request, (HttpResponse.BodyHandler<?>) handler,
                        retry).start();
    }

    private static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CallRetry retry = begin(request, null);
        if (retry == null) {
            return null;
        }
        while (true) {
            Attempt<T> attempt = new Attempt<>(retry, handler);
            HttpResponse<T> response;
            SENDING.set(Boolean.TRUE);
            try {
                retry.awaitTurn(() -> false);
                response = client.send(request, attempt);
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                retry.attemptFailed();
                throw e;
            } finally {
                SENDING.remove();
            }
            if (attempt.delayNanos < 0) {
                return response;
            }
            retry.await(attempt.delayNanos, () -> false);
        }
    }

    /** Sends one attempt asynchronously, the agent's own way through the advice. */
    static <T> CompletableFuture<HttpResponse<T>> sendOnce(HttpClient client, HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        SENDING.set(Boolean.TRUE);
        try {
            return client.sendAsync(request, handler);
        } finally {
            SENDING.remove();
        }
    }

    private static CallRetry begin(HttpRequest request, Object push) {
        if (SENDING.get() != null || push != null) {
            // Our own attempt; or HTTP/2 server push, whose promised responses cannot be asked for again.
            return null;
        }
        try {
            URI uri = request.uri();
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String publisher = request.bodyPublisher().map(p -> p.getClass().getName()).orElse(null);
            String whyNot = publisher == null || REPLAYABLE_PUBLISHERS.contains(publisher) ? null
                    : "its request body comes from a BodyPublisher that cannot be asked for the same bytes again ("
                    + publisher + ")";
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // The key is checked, not repaired: an HttpRequest cannot be copied with one header changed on Java 11.
            // The request's timeout bounds each attempt on its own (every send is a new exchange), not the call.
            CallRetry retry = RetryPolicy.current().begin(request.method(), uri.getHost(), port, path, whyNot,
                    Long.MAX_VALUE, request.headers().firstValue("Authorization").orElse(null), false);
            return retry == null ? null : retry.identify(name -> request.headers().firstValue(name).orElse(null),
                    () -> PublishedBytes.of(request));
        } catch (Throwable t) {
            FailOpen.report("the java.net.http retry", t);
            return null;
        }
    }
}
