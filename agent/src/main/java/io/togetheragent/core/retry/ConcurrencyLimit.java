package io.togetheragent.core.retry;

import io.togetheragent.core.Scheduler;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@code max-concurrent} cap: permits for requests in flight, handed out in arrival order. A waiter is told
 * when it may go; none is ever refused: one that waited its longest proceeds without a permit. Waiting takes no
 * thread (an asynchronous call's waiter is a callback), so one class serves blocking and asynchronous clients.
 */
final class ConcurrencyLimit {
    /** One request waiting for a permit; told once whether it got one. */
    final class Waiter {
        private final Consumer<Boolean> go;
        private volatile ScheduledFuture<?> timeout;
        private boolean told;

        private Waiter(Consumer<Boolean> go) {
            this.go = go;
        }
    }

    private final int permits;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    ConcurrencyLimit(int permits) {
        this.permits = permits;
    }

    int permits() {
        return permits;
    }

    /**
     * Takes a permit at once if one is free and nobody waits (returns null), else queues and returns the waiter:
     * {@code go} is then called later, on another thread, with true when a permit is this request's, or with false
     * after {@code maxWaitNanos}.
     */
    Waiter acquireOrQueue(long maxWaitNanos, Consumer<Boolean> go) {
        Waiter waiter = new Waiter(go);
        synchronized (this) {
            if (queue.isEmpty() && inFlight < permits) {
                inFlight++;
                return null;
            }
            queue.add(waiter);
        }
        waiter.timeout = Scheduler.schedule(() -> giveUp(waiter), Math.max(0, maxWaitNanos));
        return waiter;
    }

    /**
     * For a call that blocks its thread: takes a permit, waiting for it asleep (on a latch, holding no monitor) for
     * at most {@code maxWaitNanos}, and looking every {@code pollNanos} whether the call was cancelled meanwhile.
     * {@code queued} runs first if the call has to wait at all.
     *
     * @return whether the call holds a permit now: false when it waited its longest or was cancelled (it goes
     *     without one)
     * @throws InterruptedException when the thread is interrupted (its flag set again); a permit granted meanwhile
     *     goes back
     */
    boolean await(long maxWaitNanos, long pollNanos, BooleanSupplier cancelled, Runnable queued)
            throws InterruptedException {
        AtomicBoolean granted = new AtomicBoolean();
        CountDownLatch told = new CountDownLatch(1);
        Waiter waiter = acquireOrQueue(maxWaitNanos, got -> {
            granted.set(got);
            told.countDown();
        });
        if (waiter == null) {
            return true;
        }
        queued.run();
        try {
            while (!told.await(pollNanos, TimeUnit.NANOSECONDS)) {
                if (cancelled.getAsBoolean() && withdraw(waiter)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            if (!withdraw(waiter)) {
                // Being told at this moment: wait for it, and give back what it brings.
                told.await();
                if (granted.get()) {
                    release();
                }
            }
            Thread.currentThread().interrupt();
            throw e;
        }
        return granted.get();
    }

    /**
     * The waiter no longer wants a permit (its call was cancelled). True when it was still queued; false when it
     * has been told already, or is being told: then a permit it got must be released.
     */
    boolean withdraw(Waiter waiter) {
        synchronized (this) {
            if (queue.remove(waiter)) {
                waiter.told = true;
                return true;
            }
            return false;
        }
    }

    /** A request that held a permit has its answer: the permit goes to the longest waiter, or back. */
    void release() {
        Waiter next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                inFlight = Math.max(0, inFlight - 1);
                return;
            }
            next.told = true;
        }
        ScheduledFuture<?> timeout = next.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        next.go.accept(true);
    }

    private void giveUp(Waiter waiter) {
        synchronized (this) {
            if (waiter.told || !queue.remove(waiter)) {
                return;
            }
            waiter.told = true;
        }
        waiter.go.accept(false);
    }

    /**
     * For a call that does not block, the twin of {@link #await}'s cancel: the waiter leaves the queue once
     * {@code aborted} says so (looked at every 50 ms while it waits, at most {@code maxWaitNanos}), and
     * {@code withdrawn} runs then. A permit given first stays the waiter's, as without the abort.
     */
    void withdrawWhen(Waiter waiter, BooleanSupplier aborted, long maxWaitNanos, Runnable withdrawn) {
        Scheduler.waitThen(maxWaitNanos, () -> aborted.getAsBoolean() || told(waiter), () -> {
            if (aborted.getAsBoolean() && withdraw(waiter)) {
                withdrawn.run();
            }
        });
    }

    private synchronized boolean told(Waiter waiter) {
        return waiter.told;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return queue.size();
    }
}
