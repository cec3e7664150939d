package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.ScheduledAttempts;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>The first attempt goes at once: its request, and so its key and model, are known only as it is written to its
 * connection, where the tap holds it until its turn in its model's lane. A turn that has not come within
 * {@link #HOLD_ON_CONNECTION_NANOS} gives the connection up (a pooled connection held through a cool-down would be
 * one fewer for every other call to the host): the request is sent from its copy at its turn, as a retry is.
 */
final class ReactorCall extends ScheduledAttempts implements Subscription, RequestTap.FirstTurn {
    /** How long past its wait a discarded answer's body may take to end before its connection is closed instead. */
    private static final long STALLED_BODY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest a first request waits for its turn on its connection; the wait of a pace, not a cool-down's. */
    private static final long HOLD_ON_CONNECTION_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** Where the first attempt's turn stands. */
    private enum Turn { NOT_ASKED, WAITING, GONE, GIVEN_UP }

    private final CoreSubscriber<? super Object> actual;
    private final HttpClient client;
    private final SentRequest sent;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> waiting;
    /** Set once the application has been given its answer or failure: nothing of it is cancelled after that. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Object> unrequested = new AtomicReference<>();
    private volatile boolean requested;
    /** The attempt in flight, or the last; null before the first. */
    private volatile Attempt current;
    private Turn turn = Turn.NOT_ASKED;
    /** The first request's writes, held for its turn; guarded by this. */
    private HeldWrites held;

    ReactorCall(CoreSubscriber<? super Object> actual, HttpClient client, CallRetry retry, int maxReplayBytes) {
        super(retry);
        this.actual = actual;
        this.client = client;
        this.sent = new SentRequest(maxReplayBytes);
        // Known once written, before its turn: the body names the model, and so the lane.
        retry.identify(sent::header, sent::bytes);
    }

    void start() {
        actual.onSubscribe(this);
        send();
    }

    /** The first request is written, held on its connection's event loop: its turn is asked for now. */
    @Override
    public boolean mayGo(HeldWrites writes) {
        synchronized (this) {
            if (turn == Turn.GONE) {
                // Reactor Netty sends it again on a new connection (the first closed before it went out).
                repairKey();
                return true;
            }
            if (turn == Turn.GIVEN_UP) {
                writes.drop();
                return false;
            }
            held = writes;
            if (turn == Turn.WAITING) {
                return false;
            }
            turn = Turn.WAITING;
        }
        boolean now = true;
        try {
            retry.sentWith(sent.authorization(), true);
            repairKey();
            now = retry.sendNowOr(this::turnCame);
            if (!now && sent.whyNotReplayable() == null) {
                Scheduler.schedule(this::giveUpConnection, HOLD_ON_CONNECTION_NANOS);
            }
        } catch (Throwable t) {
            FailOpen.report("the Reactor Netty retry", t);
        }
        if (now) {
            synchronized (this) {
                turn = Turn.GONE;
                held = null;
            }
        }
        return now;
    }

    /** With {@code key-repair=trim}, the held head goes with the key trimmed, and so does every copy of it. */
    private void repairKey() {
        String repaired = retry.repairedAuthorization();
        if (repaired != null) {
            sent.authorize(repaired);
        }
    }

    /** The first attempt's turn came, on the agent's scheduler: its held writes go, or it goes from its copy. */
    private void turnCame() {
        Turn was;
        HeldWrites writes;
        synchronized (this) {
            was = turn;
            turn = Turn.GONE;
            writes = held;
            held = null;
        }
        if (cancelled || ended.get()) {
            // Its connection is closed, or being closed: what the turn took goes back.
            retry.attemptFailed();
        } else if (was == Turn.GIVEN_UP) {
            try {
                send();
            } catch (Throwable t) {
                retry.attemptFailed();
                fail(t);
            }
        } else if (writes != null) {
            writes.release();
        }
    }

    /** The turn did not come while the request could wait on its connection: it is sent from its copy instead. */
    private void giveUpConnection() {
        HeldWrites writes;
        synchronized (this) {
            if (turn != Turn.WAITING) {
                return;
            }
            turn = Turn.GIVEN_UP;
            writes = held;
            held = null;
        }
        Attempt first = current;
        if (first != null) {
            first.abandon();
        }
        if (writes != null) {
            writes.drop();
        }
    }

    @Override
    protected void send() {
        if (cancelled) {
            retry.attemptFailed();
            return;
        }
        boolean first = current == null;
        Attempt attempt = new Attempt(first);
        current = attempt;
        // In observe mode nothing waits: the request goes as it is written, and is only watched.
        (first ? ReactorNettyRetry.first(client, sent, retry.resends() ? this : null)
                : ReactorNettyRetry.again(client, sent))
                .subscribe(attempt);
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
        Attempt attempt = current;
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
        private volatile Subscription subscription;
        /** The agent gave this attempt up before it went out: nothing it says concerns the call. */
        private volatile boolean abandoned;

        Attempt(boolean first) {
            this.first = first;
        }

        void abandon() {
            abandoned = true;
            cancel();
        }

        void cancel() {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            if (cancelled || abandoned) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Object response) {
            if (abandoned) {
                ((Connection) response).dispose();
                return;
            }
            answered = true;
            answered((HttpClientResponse) response, first);
        }

        @Override
        public void onError(Throwable error) {
            if (!answered && !abandoned) {
                retry.attemptFailed();
                fail(error);
            }
        }

        @Override
        public void onComplete() {
            if (!answered && !abandoned && ended.compareAndSet(false, true)) {
                actual.onComplete();
            }
        }
    }
}
