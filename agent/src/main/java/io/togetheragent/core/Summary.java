package io.togetheragent.core;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic summary line: every {@code summary-interval}, if anything was counted since the last one,
 * {@code last 5m: 1204 calls, 37 rate-limited, 41 retries, 36 recovered, 1 gave up, waited 52.1 s}.
 */
public final class Summary {
    private static final Logger log = LoggerFactory.getLogger(Summary.class);
    /** How often the interval is looked at; a changed summary-interval (reload, JMX) applies from the next tick. */
    private static final long TICK_MILLIS = 1000;

    private long lastNanos = System.nanoTime();
    private long requests;
    private long rateLimited;
    private long overloaded;
    private long retries;
    private long wouldRetry;
    private long recovered;
    private long gaveUp;
    private long waitedNanos;

    private Summary() {}

    private static final java.util.concurrent.atomic.AtomicBoolean started =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Starts the summary timer; called at the first Together request, so a JVM that makes none pays nothing. */
    public static void startOnce() {
        if (started.compareAndSet(false, true)) {
            Summary summary = new Summary();
            Scheduler.every(TICK_MILLIS, "the summary line", summary::tick);
        }
    }

    private void tick() {
        long interval = RetryPolicy.current().settings().summaryIntervalMillis();
        long now = System.nanoTime();
        if (TimeUnit.NANOSECONDS.toMillis(now - lastNanos) + TICK_MILLIS / 2 < interval) {
            return;
        }
        lastNanos = now;
        Metrics m = Metrics.GLOBAL;
        long[] counts = {m.requests.sum(), m.rateLimited.sum(), m.overloaded.sum(), m.retries.sum(),
            m.wouldRetry.sum(), m.recovered.sum(), m.gaveUp.sum(), m.waitedNanos.sum()};
        long[] before = {requests, rateLimited, overloaded, retries, wouldRetry, recovered, gaveUp, waitedNanos};
        boolean changed = false;
        for (int i = 0; i < counts.length; i++) {
            changed |= counts[i] != before[i];
        }
        if (!changed) {
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append("last ").append(Durations.format(interval)).append(": ")
                .append(counts[0] - requests).append(" calls, ")
                .append(counts[1] - rateLimited).append(" rate-limited, ");
        if (counts[2] != overloaded) {
            line.append(counts[2] - overloaded).append(" overloaded, ");
        }
        line.append(counts[3] - retries).append(" retries, ");
        if (counts[4] != wouldRetry) {
            line.append(counts[4] - wouldRetry).append(" would retry (observe), ");
        }
        line.append(counts[5] - recovered).append(" recovered, ")
                .append(counts[6] - gaveUp).append(" gave up, waited ")
                .append(String.format(Locale.ROOT, "%.1f s", (counts[7] - waitedNanos) / 1e9));
        requests = counts[0];
        rateLimited = counts[1];
        overloaded = counts[2];
        retries = counts[3];
        wouldRetry = counts[4];
        recovered = counts[5];
        gaveUp = counts[6];
        waitedNanos = counts[7];
        log.info("{}", line);
    }
}
