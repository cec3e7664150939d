package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.CallRetry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code sendAsync} call across its attempts. Waits are scheduled, never slept: no thread of the application's
 * or the client's is held while waiting. Cancelling the application's future stops further attempts.
 */
final class AsyncCall<T> {
    private final HttpClient client;
    private final CallAttempts call;
    private final HttpResponse.BodyHandler<T> handler;
    private final CallRetry retry;
    private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<T>> inFlight;

    AsyncCall(HttpClient client, CallAttempts call, HttpResponse.BodyHandler<T> handler) {
        this.client = client;
        this.call = call;
        this.handler = handler;
        this.retry = call.retry;
    }

    CompletableFuture<HttpResponse<T>> start() {
        result.whenComplete((response, error) -> {
            CompletableFuture<HttpResponse<T>> attempt = inFlight;
            if (result.isCancelled() && attempt != null) {
                attempt.cancel(true);
            }
        });
        attempt();
        return result;
    }

    /** The attempt goes when it is its turn: at once on this thread, or later from the agent's scheduler. */
    private void attempt() {
        if (retry.sendNowOr(this::attemptLater)) {
            send();
        }
    }

    /** The next attempt, from the agent's scheduler: whatever goes wrong there ends the call. */
    private void retry() {
        try {
            FailOpen.injectFault("resend");
            attempt();
        } catch (Throwable t) {
            retry.attemptFailed();
            result.completeExceptionally(FailOpen.retryNotSent(t));
        }
    }

    private void attemptLater() {
        try {
            send();
        } catch (Throwable t) {
            retry.attemptFailed();
            result.completeExceptionally(t);
        }
    }

    private void send() {
        if (result.isDone()) {
            retry.attemptFailed();
            return;
        }
        HttpRequest next = call.next();
        Attempt<T> attempt = call.attempt(handler);
        CompletableFuture<HttpResponse<T>> sent = HttpClientRetry.sendOnce(client, next, attempt);
        inFlight = sent;
        sent.whenComplete((response, error) -> {
            if (attempt.discarded()) {
                // Retried, whether or not the discarded response's body broke off on the way.
                Scheduler.schedule(this::retry, attempt.delayNanos);
            } else if (error != null) {
                retry.attemptFailed();
                result.completeExceptionally(error);
            } else {
                result.complete(response);
            }
        });
    }
}
