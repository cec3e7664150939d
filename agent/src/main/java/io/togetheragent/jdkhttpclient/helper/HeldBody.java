package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.Scheduler;
import io.togetheragent.core.SentBytes;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A body publisher of the application's own ({@code BodyPublishers.fromPublisher}, Spring's
 * {@code JdkClientHttpRequest}), read before the call's first turn: its bytes name the model, and so the lane the
 * call waits in, as for the JDK's own publishers. Read up to {@code max-replay-bytes}, for at most
 * {@value #MAX_READ_MILLIS} ms: a body read to its end is sent from the copy on every attempt, in the pieces the
 * application published, with the length it declared. One that is not (longer, slower, or failing) goes to the JDK
 * as read so far and then as the application's publisher goes on, its end or its failure unchanged; the call then
 * waits in its key's lane, as before. The application's publisher is subscribed once, as by the JDK.
 */
final class HeldBody implements Flow.Subscriber<ByteBuffer> {
    /** A publisher of bytes in memory (Spring's writes its body on its own executor) ends at once. */
    private static final long MAX_READ_MILLIS = 500;

    private final HttpRequest.BodyPublisher application;
    private final int limit;
    private final SentBytes copy;
    private final Queue<byte[]> pieces = new ConcurrentLinkedQueue<>();
    /** Completed once reading ahead stops. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile ScheduledFuture<?> readTimer;
    private volatile Flow.Subscription upstream;
    /** Whether a piece was asked for and has not come yet: the application's publisher is asked one at a time. */
    private final AtomicBoolean asked = new AtomicBoolean();
    private volatile boolean ended;
    private volatile Throwable failure;
    private volatile List<byte[]> whole;
    private boolean stopping;
    private final Rest rest = new Rest();

    private HeldBody(HttpRequest.BodyPublisher application, int limit) {
        this.application = application;
        this.limit = limit;
        this.copy = new SentBytes(limit);
        copy.expect(application.contentLength());
    }

    /** Starts reading the application's publisher; {@code deadlineNanos} bounds the read as it bounds the call. */
    static HeldBody read(HttpRequest.BodyPublisher application, int limit, long deadlineNanos) {
        HeldBody held = new HeldBody(application, limit);
        application.subscribe(held);
        if (!held.stopped.isDone()) {
            long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
            held.readTimer = Scheduler.schedule(() -> held.stopReading(false),
                    Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(MAX_READ_MILLIS))));
            if (held.stopped.isDone()) {
                held.readTimer.cancel(false);
            }
        }
        return held;
    }

    boolean isRead() {
        return stopped.isDone();
    }

    /** Runs {@code then} once reading ahead has stopped: at once, or on the thread that stops it. */
    void whenRead(Runnable then) {
        stopped.whenComplete((nothing, error) -> then.run());
    }

    /** Waits until reading ahead has stopped. */
    void awaitRead() throws InterruptedException {
        try {
            stopped.get();
        } catch (java.util.concurrent.ExecutionException never) {
            // Only ever completed normally.
        }
    }

    /** Whether the body was read to its end: then every attempt sends {@link #publisher()}. */
    boolean isWhole() {
        return whole != null;
    }

    /** The body read to its end, or null: for its model, and to recognise a resend. */
    byte[] bytes() {
        return whole != null ? copy.bytes(-1) : null;
    }

    /** What every attempt sends once the body was read to its end: the copy. */
    HttpRequest.BodyPublisher publisher() {
        return new Copy(whole, application.contentLength());
    }

    /** What the first attempt sends when the body was not read to its end: what was read and the rest, kept. */
    RecordedBody keptAsSent() {
        return new RecordedBody(rest, limit);
    }

    /** The call ended before the JDK took the body: the application's publisher is not left waiting for demand. */
    void abandon() {
        if (rest.taken.compareAndSet(false, true)) {
            rest.cancelled = true;
            Flow.Subscription s = upstream;
            if (s != null && whole == null) {
                s.cancel();
            }
        }
    }

    /** From the application's publisher or the timer, whichever comes first. */
    private void stopReading(boolean toTheEnd) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (toTheEnd) {
                whole = new ArrayList<>(pieces);
            }
        }
        ScheduledFuture<?> timer = readTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        // Outside the monitor: what runs next (the call's first attempt) may wait.
        stopped.complete(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        if (rest.cancelled) {
            subscription.cancel();
        } else if (!stopped.isDone()) {
            ask(subscription);
        } else {
            rest.drain();
        }
    }

    @Override
    public void onNext(ByteBuffer item) {
        byte[] piece = new byte[item.remaining()];
        item.duplicate().get(piece);
        boolean reading = !stopped.isDone();
        if (reading) {
            copy.sent(piece, 0, piece.length);
        }
        pieces.add(piece);
        asked.set(false);
        if (!reading) {
            rest.drain();
        } else if (copy.tooLong()) {
            stopReading(false);
        } else {
            ask(upstream);
        }
    }

    @Override
    public void onError(Throwable error) {
        failure = error;
        ended = true;
        stopReading(false);
        rest.drain();
    }

    @Override
    public void onComplete() {
        ended = true;
        stopReading(!copy.tooLong());
        rest.drain();
    }

    private void ask(Flow.Subscription subscription) {
        if (asked.compareAndSet(false, true)) {
            subscription.request(1);
        }
    }

    /** The body as read, in the application's pieces, with the length it declared: sent again on every attempt. */
    private static final class Copy implements HttpRequest.BodyPublisher {
        private final List<byte[]> pieces;
        private final long declared;

        Copy(List<byte[]> pieces, long declared) {
            this.pieces = pieces;
            this.declared = declared;
        }

        @Override
        public long contentLength() {
            return declared;
        }

        /** Not through the JDK's ofByteArrays, which copies each piece into a buffer of its own of 16 KiB. */
        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            new Emission(new ConcurrentLinkedQueue<>(pieces), subscriber).start();
        }
    }

    /** What was read, then the rest of the application's publisher, asked for a piece only as the JDK asks. */
    private final class Rest implements HttpRequest.BodyPublisher {
        final AtomicBoolean taken = new AtomicBoolean();
        volatile boolean cancelled;
        private volatile Emission emission;

        @Override
        public long contentLength() {
            return application.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            if (!taken.compareAndSet(false, true)) {
                // The JDK sends the request again itself: without the agent it would subscribe to it again too.
                application.subscribe(subscriber);
                return;
            }
            Emission e = new Emission(pieces, subscriber) {
                @Override
                boolean allCame() {
                    return ended;
                }

                @Override
                Throwable failure() {
                    return failure;
                }

                @Override
                void wantMore() {
                    Flow.Subscription s = upstream;
                    if (s != null) {
                        ask(s);
                    }
                }

                @Override
                void cancelled() {
                    cancelled = true;
                    Flow.Subscription s = upstream;
                    if (s != null) {
                        s.cancel();
                    }
                }
            };
            emission = e;
            e.start();
        }

        void drain() {
            Emission e = emission;
            if (e != null) {
                e.drain();
            }
        }
    }

    /**
     * Pieces to one subscriber of the JDK's as it asks for them: one emitter at a time (a counter of who wants to
     * emit, the usual way of reactive streams), so that the subscriber is never called twice at once.
     */
    private static class Emission implements Flow.Subscription {
        private final Queue<byte[]> pieces;
        private final Flow.Subscriber<? super ByteBuffer> to;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger emitters = new AtomicInteger();
        private volatile boolean stopped;
        private boolean done;

        Emission(Queue<byte[]> pieces, Flow.Subscriber<? super ByteBuffer> to) {
            this.pieces = pieces;
            this.to = to;
        }

        /** Whether every piece is in the queue; read before looking at the queue, as every piece comes first. */
        boolean allCame() {
            return true;
        }

        /** How the pieces ended, once all came: null when they completed. */
        Throwable failure() {
            return null;
        }

        /** More is asked for than the queue holds. */
        void wantMore() {
        }

        /** The subscriber wants no more. */
        void cancelled() {
        }

        void start() {
            to.onSubscribe(this);
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                to.onError(new IllegalArgumentException("non-positive subscription request: " + n));
                return;
            }
            demand.getAndAccumulate(n, (had, more) -> had + more < 0 ? Long.MAX_VALUE : had + more);
            drain();
        }

        @Override
        public void cancel() {
            stopped = true;
            cancelled();
        }

        void drain() {
            if (emitters.getAndIncrement() != 0) {
                return;
            }
            do {
                if (!stopped && !done) {
                    emit();
                }
            } while (emitters.decrementAndGet() != 0);
        }

        private void emit() {
            byte[] piece;
            while (demand.get() > 0 && !stopped && (piece = pieces.poll()) != null) {
                demand.decrementAndGet();
                to.onNext(ByteBuffer.wrap(piece));
            }
            boolean allCame = allCame();
            if (!pieces.isEmpty() || stopped) {
                return;
            }
            if (allCame) {
                done = true;
                Throwable error = failure();
                if (error != null) {
                    to.onError(error);
                } else {
                    to.onComplete();
                }
            } else if (demand.get() > 0) {
                wantMore();
            }
        }
    }
}
