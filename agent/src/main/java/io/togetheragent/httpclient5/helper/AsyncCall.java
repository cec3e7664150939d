package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.CallRetry;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.ComplexFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One async call across its attempts, behind the future the application holds. Attempts complete on the client's
 * I/O reactor, which must never wait: the next attempt is scheduled on the agent's {@link Scheduler}.
 * Cancelling the application's future cancels the attempt in flight or the wait.
 */
final class AsyncCall<T> {
    private final CloseableHttpAsyncClient client;
    private final HttpHost target;
    /** The request the producer sends, when known, and its headers as the application set them. */
    private final HttpRequest head;
    private final Header[] headers;
    private final AsyncRequestProducer producer;
    private final AsyncResponseConsumer<T> consumer;
    private final HandlerFactory<AsyncPushConsumer> push;
    private final HttpContext context;
    private final CallRetry retry;
    private final ComplexFuture<T> result;

    AsyncCall(CloseableHttpAsyncClient client, HttpHost target, HttpRequest head, AsyncRequestProducer producer,
              AsyncResponseConsumer<T> consumer, HandlerFactory<AsyncPushConsumer> push, HttpContext context,
              FutureCallback<T> callback, CallRetry retry) {
        this.client = client;
        this.target = target;
        this.head = head;
        this.headers = head == null ? null : head.getHeaders();
        this.producer = producer;
        this.consumer = consumer;
        this.push = push;
        this.context = context;
        this.retry = retry;
        this.result = new ComplexFuture<>(callback);
    }

    Future<T> start() {
        // The first attempt fails as the client would, on the caller's thread, if the client cannot send at all.
        if (retry.sendNowOr(this::sendLater)) {
            result.setDependency(send());
        }
        return result;
    }

    /**
     * Sends the next attempt when it is its turn: at once here, or later from the agent's scheduler. On the
     * scheduler: whatever goes wrong there ends the call.
     */
    private void attempt() {
        try {
            FailOpen.injectFault("resend");
            if (retry.sendNowOr(this::sendLater)) {
                sendLater();
            }
        } catch (Throwable t) {
            retry.attemptFailed();
            end();
            result.failed(FailOpen.retryNotSent(t));
        }
    }

    private void sendLater() {
        if (result.isDone()) {
            retry.attemptFailed();
            Requests.unmark(context);
            return;
        }
        try {
            // A minimal client adds its protocol headers to the application's request itself, and refuses a
            // request that already has them: each attempt starts from the headers the application set.
            if (head != null) {
                head.setHeaders(headers);
            }
            result.setDependency(send());
        } catch (RuntimeException e) {
            // Closed during the wait, say: the application hears of it through its future, as of any failure.
            retry.attemptFailed();
            end();
            result.failed(e);
        }
    }

    private Future<T> send() {
        AttemptConsumer<T> attempt = new AttemptConsumer<>(retry, consumer);
        return AsyncRetry.sendOnce(client, target, producer, attempt, push, context, new FutureCallback<T>() {
            @Override
            public void completed(T value) {
                if (attempt.delayNanos < 0) {
                    end();
                    result.completed(value);
                } else {
                    waitThenRetry(attempt.delayNanos);
                }
            }

            @Override
            public void failed(Exception e) {
                if (attempt.delayNanos < 0) {
                    retry.attemptFailed();
                    end();
                    result.failed(e);
                } else {
                    // Reading away a response that was to be discarded failed: its connection is gone, not the call.
                    waitThenRetry(attempt.delayNanos);
                }
            }

            @Override
            public void cancelled() {
                retry.attemptFailed();
                end();
                result.cancel();
            }
        });
    }

    private void waitThenRetry(long delayNanos) {
        ScheduledFuture<?> wait = Scheduler.schedule(this::attempt, delayNanos);
        result.setDependency(() -> wait.cancel(false));
    }

    private void end() {
        Requests.unmark(context);
    }
}
