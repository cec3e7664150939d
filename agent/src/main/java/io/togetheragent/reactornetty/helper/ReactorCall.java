package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.ScheduledAttempts;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

/**
 * One call across its attempts, behind the subscription the application holds. Answers come on a Netty event
 * loop, which must never wait: the next attempt is scheduled on the agent's {@link Scheduler}. Cancelling (a
 * {@code dispose()}, a Reactor {@code timeout()}) cancels the attempt in flight or the wait, and no attempt follows.
 */
final class ReactorCall extends ScheduledAttempts implements Subscription {
    /** How long past its wait a discarded answer's body may take to end before its connection is closed instead. */
    private static final long STALLED_BODY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final CoreSubscriber<? super Object> actual;
    private final HttpClient client;
    private final SentRequest sent;
    private volatile boolean firstSent;
    private volatile boolean cancelled;
    private volatile Subscription inFlight;
    private volatile ScheduledFuture<?> waiting;
    /** Set once the application has been given its answer or failure: nothing of it is cancelled after that. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Object> unrequested = new AtomicReference<>();
    private volatile boolean requested;

    ReactorCall(CoreSubscriber<? super Object> actual, HttpClient client, CallRetry retry, int maxReplayBytes) {
        super(retry);
        this.actual = actual;
        this.client = client;
        this.sent = new SentRequest(maxReplayBytes);
        // The body is known only once sent: a layer above resending the call is recognised by its headers only.
        retry.identify(sent::header, () -> null);
    }

    void start() {
        actual.onSubscribe(this);
        attempt();
    }

    @Override
    protected void send() {
        if (cancelled) {
            retry.attemptFailed();
            return;
        }
        boolean first = !firstSent;
        firstSent = true;
        (first ? ReactorNettyRetry.first(client, sent) : ReactorNettyRetry.again(client, sent))
                .subscribe(new Attempt(first));
    }

    /** The answer of an attempt, its status and headers come: on the connection's event loop. */
    private void answered(HttpClientResponse response, boolean first) {
        if (first) {
            try {
                retry.sentWith(sent.authorization(), false);
                String why = sent.whyNotReplayable();
                if (why != null) {
                    retry.cannotReplay(why);
                }
            } catch (Throwable t) {
                FailOpen.report("the Reactor Netty retry", t);
                retry.cannotReplay("the agent could not tell what was sent");
            }
        }
        long delay = retry.nextDelayNanos(response.status().code(), name -> response.responseHeaders().get(name));
        if (cancelled) {
            // Cancelled while the answer was on its way: nobody will read it, so its connection is closed.
            ((Connection) response).dispose();
            return;
        }
        if (delay < 0) {
            succeed(response);
            return;
        }
        // Its body is read away (Reactor Netty releases each buffer) and the wait begins once it has been, so that its
        // connection is back in the pool for the next attempt, as with the other adapters; one that breaks off
        // decides nothing. A body not read to its end a second after the wait would have ended (one that stalls)
        // has its connection closed instead.
        long waitFrom = System.nanoTime();
        AtomicBoolean read = new AtomicBoolean();
        ScheduledFuture<?> stalled = Scheduler.schedule(() -> {
            if (read.compareAndSet(false, true)) {
                ((Connection) response).dispose();
                retry();
            }
        }, delay + STALLED_BODY_NANOS);
        waiting = stalled;
        Runnable waitThenRetry = () -> {
            if (read.compareAndSet(false, true)) {
                stalled.cancel(false);
                waiting = Scheduler.schedule(this::retry, Math.max(0, delay - (System.nanoTime() - waitFrom)));
                if (cancelled) {
                    waiting.cancel(false);
                }
            }
        };
        ((NettyInbound) response).receive().subscribe(buffer -> { }, brokenOff -> waitThenRetry.run(), waitThenRetry);
        if (cancelled) {
            stalled.cancel(false);
        }
    }

    private void succeed(Object response) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (requested) {
            deliver(response);
            return;
        }
        unrequested.set(response);
        if (requested && unrequested.compareAndSet(response, null)) {
            deliver(response);
        }
    }

    private void deliver(Object response) {
        actual.onNext(response);
        actual.onComplete();
    }

    @Override
    protected void fail(Throwable error) {
        if (ended.compareAndSet(false, true)) {
            actual.onError(error);
        }
    }

    @Override
    public void request(long n) {
        if (n <= 0 || requested) {
            return;
        }
        requested = true;
        Object response = unrequested.getAndSet(null);
        if (response != null) {
            deliver(response);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (ended.get()) {
            // The application holds its answer: what it does with it is its own.
            return;
        }
        Subscription attempt = inFlight;
        if (attempt != null) {
            attempt.cancel();
        }
        ScheduledFuture<?> wait = waiting;
        if (wait != null) {
            wait.cancel(false);
        }
        retry.attemptFailed();
    }

    /** Subscribes to one attempt, in the application's Reactor context. */
    private final class Attempt implements CoreSubscriber<Object> {
        private final boolean first;
        private volatile boolean answered;

        Attempt(boolean first) {
            this.first = first;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            inFlight = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Object response) {
            answered = true;
            answered((HttpClientResponse) response, first);
        }

        @Override
        public void onError(Throwable error) {
            if (!answered) {
                retry.attemptFailed();
                fail(error);
            }
        }

        @Override
        public void onComplete() {
            if (!answered && ended.compareAndSet(false, true)) {
                actual.onComplete();
            }
        }
    }
}
