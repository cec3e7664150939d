package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.ScheduledAttempts;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code sendAsync} call across its attempts. Waits are scheduled, never slept: no thread of the application's
 * or the client's is held while waiting. Cancelling the application's future stops further attempts.
 */
final class AsyncCall<T> extends ScheduledAttempts {
    private final HttpClient client;
    private final CallAttempts call;
    private final HttpResponse.BodyHandler<T> handler;
    private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<T>> inFlight;

    AsyncCall(HttpClient client, CallAttempts call, HttpResponse.BodyHandler<T> handler) {
        super(call.retry);
        this.client = client;
        this.call = call;
        this.handler = handler;
    }

    CompletableFuture<HttpResponse<T>> start() {
        result.whenComplete((response, error) -> {
            call.ended();
            CompletableFuture<HttpResponse<T>> attempt = inFlight;
            if (result.isCancelled() && attempt != null) {
                attempt.cancel(true);
            }
        });
        if (call.bodyRead()) {
            attempt();
        } else {
            call.whenBodyRead(this::attemptElsewhere);
        }
        return result;
    }

    @Override
    protected void fail(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    protected void send() {
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
                fail(error);
            } else {
                result.complete(response);
            }
        });
    }
}
