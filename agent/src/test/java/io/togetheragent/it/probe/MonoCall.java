package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One call as a {@code Mono} of {@code [status, x-test, body]}, run and reported the same way by every Reactor
 * probe (Reactor Netty, WebClient on either connector). Apart from them, so that it links without Reactor Netty.
 */
final class MonoCall {
    private static final long START = System.nanoTime();

    private MonoCall() {}

    static void run(Mono<String[]> call, ProbeArgs p, int i) {
        if (p.reactorTimeout) {
            call = call.timeout(Mono.fromCallable(() -> {
                p.intoTheWait();
                return 0L;
            }).subscribeOn(Schedulers.boundedElastic()));
        }
        if (p.reactorTimeoutMillis > 0 && i > 0) {
            call = call.timeout(Duration.ofMillis(p.reactorTimeoutMillis));
        }
        try {
            if (p.async) {
                async(call, p, i);
            } else {
                report(i, call.block(Duration.ofSeconds(60)));
            }
        } catch (Throwable t) {
            ProbeArgs.reportError(i, reactor.core.Exceptions.unwrap(t));
        }
    }

    private static void async(Mono<String[]> call, ProbeArgs p, int i) throws InterruptedException {
        AtomicInteger callbacks = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Disposable subscription = call.subscribe(r -> {
            callbacks.incrementAndGet();
            report(i, r);
            done.countDown();
        }, e -> {
            callbacks.incrementAndGet();
            ProbeArgs.reportError(i, e);
            done.countDown();
        });
        if (p.cancel) {
            p.intoTheWait();
            subscription.dispose();
            System.out.println("CANCELLED " + subscription.isDisposed());
            // Long enough for a retry to show, had one been sent: the test's retry-after is 3 s.
            Thread.sleep(4_000);
            return;
        }
        p.reportThreadsSleepingInTheWait();
        done.await(60, TimeUnit.SECONDS);
        Thread.sleep(100);
        System.out.println("CALLBACKS " + callbacks.get());
    }

    /** Reports each chunk of a body as it comes, with the time since the probe started. */
    static String chunk(String chunk) {
        System.out.println("CHUNK " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - START) + " "
                + chunk.replace("\n", "\\n"));
        return chunk;
    }

    private static void report(int call, String[] r) {
        ProbeArgs.reportStatus(call, Integer.parseInt(r[0]), r[1], r[2].getBytes(StandardCharsets.UTF_8));
    }
}
