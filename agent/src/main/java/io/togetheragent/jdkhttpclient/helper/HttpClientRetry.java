package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.jdkhttpclient.HttpClientHook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a Together call through {@code java.net.http.HttpClient} as many times as the retry core asks. The
 * agent's own attempts go through the client's original {@code send}/{@code sendAsync}; the advice lets them pass.
 */
public final class HttpClientRetry implements HttpClientHook {
    /** Set while the agent itself sends an attempt, so the advice runs the original method. */
    private static final ThreadFlag SENDING = new ThreadFlag();

    /**
     * The JDK's own publishers that publish the same bytes to every subscriber: every send is a new subscriber. Not
     * ofInputStream's: it asks the application's supplier for a stream on every subscription, and a supplier may
     * hand out the same stream, read already, again.
     */
    private static final Set<String> REPLAYABLE_PUBLISHERS = Set.of(
            "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
            "jdk.internal.net.http.RequestPublishers$StringPublisher",
            "jdk.internal.net.http.RequestPublishers$IterablePublisher",
            "jdk.internal.net.http.RequestPublishers$FilePublisher",
            "jdk.internal.net.http.RequestPublishers$EmptyPublisher");

    /**
     * ofInputStream reads the application's stream on the thread that asks it for bytes: read ahead, that would be
     * the thread calling sendAsync, which may be the one meant to fill the stream afterwards (a pipe).
     */
    private static final String INPUT_STREAM_PUBLISHER = "jdk.internal.net.http.RequestPublishers$InputStreamPublisher";

    @Override
    public Object send(Object client, Object request, Object handler) throws IOException, InterruptedException {
        return send((HttpClient) client, (HttpRequest) request, (HttpResponse.BodyHandler<?>) handler);
    }

    @Override
    public Object sendAsync(Object client, Object request, Object handler, Object pushPromiseHandler) {
        CallAttempts call = begin((HttpRequest) request, pushPromiseHandler, deadline((HttpRequest) request));
        return call == null ? null
                : new AsyncCall<>((HttpClient) client, call, (HttpResponse.BodyHandler<?>) handler).start();
    }

    private static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CallAttempts call = begin(request, null, deadline(request));
        if (call == null) {
            return null;
        }
        CallRetry retry = call.retry;
        try {
            try {
                call.awaitBody();
            } catch (InterruptedException e) {
                retry.attemptFailed();
                throw e;
            }
            while (true) {
                HttpRequest next = call.next();
                Attempt<T> attempt = call.attempt(handler);
                HttpResponse<T> response;
                SENDING.raise();
                try {
                    retry.awaitTurn(() -> false);
                    response = client.send(next, attempt);
                } catch (IOException e) {
                    if (!attempt.discarded()) {
                        retry.attemptFailed();
                        throw e;
                    }
                    // The body of a response being discarded for a retry broke off: that decides nothing.
                    response = null;
                } catch (InterruptedException | RuntimeException | Error e) {
                    retry.attemptFailed();
                    throw e;
                } finally {
                    SENDING.lower();
                }
                if (attempt.delayNanos < 0) {
                    return response;
                }
                retry.await(attempt.delayNanos, () -> false);
            }
        } finally {
            call.ended();
        }
    }

    /** Sends one attempt asynchronously, the agent's own way through the advice. */
    static <T> CompletableFuture<HttpResponse<T>> sendOnce(HttpClient client, HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        SENDING.raise();
        try {
            return client.sendAsync(request, handler);
        } finally {
            SENDING.lower();
        }
    }

    /**
     * The application's {@code HttpRequest.timeout()} as the call's deadline: it is how long the application waits
     * for an answer, so the agent's waits and attempts together stay within it, as they do within OkHttp's
     * {@code callTimeout} (issue 13).
     */
    private static long deadline(HttpRequest request) {
        try {
            return request.timeout().map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        } catch (Throwable t) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The request with this body and a timeout of what is left of the call's. Copied field by field, as
     * {@code HttpRequest.newBuilder(request, filter)} is Java 16's; when the copy fails, the request as it was.
     */
    static HttpRequest copy(HttpRequest request, HttpRequest.BodyPublisher body, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE && body == request.bodyPublisher().orElse(null)) {
            return request;
        }
        try {
            HttpRequest.Builder copy = HttpRequest.newBuilder(request.uri()).expectContinue(request.expectContinue());
            if (deadlineNanos != Long.MAX_VALUE) {
                long left = Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime());
                copy.timeout(Duration.ofNanos(left));
            } else {
                request.timeout().ifPresent(copy::timeout);
            }
            request.version().ifPresent(copy::version);
            request.headers().map().forEach((name, values) -> values.forEach(value -> copy.header(name, value)));
            if (body != null) {
                copy.method(request.method(), body);
            } else if (request.method().equals("GET")) {
                copy.GET();
            } else if (request.method().equals("DELETE")) {
                copy.DELETE();
            } else {
                copy.method(request.method(), HttpRequest.BodyPublishers.noBody());
            }
            return copy.build();
        } catch (RuntimeException refused) {
            return request;
        }
    }

    private static CallAttempts begin(HttpRequest request, Object push, long deadline) {
        if (SENDING.isRaised() || push != null) {
            // Our own attempt; or HTTP/2 server push, whose promised responses cannot be asked for again.
            return null;
        }
        try {
            URI uri = request.uri();
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
            String kind = publisher == null ? null : publisher.getClass().getName();
            boolean applications = publisher != null && !REPLAYABLE_PUBLISHERS.contains(kind);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // The key is checked, not repaired: an HttpRequest cannot be copied with one header changed on Java 11.
            JdkHeaders headers = new JdkHeaders(request.headers());
            CallRetry retry = RetryPolicy.current().begin(request.method(), uri.getHost(), port, path, null,
                    deadline, headers.get("Authorization"), false);
            if (retry == null) {
                return null;
            }
            int maxReplayBytes = RetryPolicy.current().settings().maxReplayBytes();
            if (applications && retry.resends() && !request.expectContinue()
                    && publisher.contentLength() <= maxReplayBytes && !INPUT_STREAM_PUBLISHER.equals(kind)) {
                // Read before the first turn, for the model; the JDK then gets the bytes as read.
                CallAttempts call = CallAttempts.held(retry, request,
                        HeldBody.read(publisher, maxReplayBytes, deadline), deadline);
                retry.identify(headers, call::body);
                return call;
            }
            // A publisher of the application's own cannot be asked for the same bytes again: a copy is kept instead.
            RecordedBody recorded = applications ? new RecordedBody(publisher, maxReplayBytes) : null;
            retry.identify(headers, recorded != null ? recorded::bytes : () -> PublishedBytes.of(request));
            return CallAttempts.of(retry, request, recorded, deadline);
        } catch (Throwable t) {
            FailOpen.report("the java.net.http retry", t);
            return null;
        }
    }
}
