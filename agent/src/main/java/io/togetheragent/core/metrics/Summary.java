package io.togetheragent.core.metrics;

import io.togetheragent.core.Durations;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.retry.RetryPolicy;
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
    /** The counts at the last line, in the order of {@link #counts}. */
    private long[] last = new long[counts(Metrics.GLOBAL).length];

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
        long[] current = counts(Metrics.GLOBAL);
        long[] d = new long[current.length];
        boolean changed = false;
        for (int i = 0; i < current.length; i++) {
            d[i] = current[i] - last[i];
            changed |= d[i] != 0;
        }
        if (!changed) {
            return;
        }
        last = current;
        StringBuilder line = new StringBuilder();
        line.append("last ").append(Durations.format(interval)).append(": ")
                .append(d[0]).append(" calls, ")
                .append(d[1]).append(" rate-limited, ");
        if (d[11] != 0) {
            line.setLength(line.length() - 2);
            line.append(" (").append(d[11]).append(" by the token limit), ");
        }
        optional(line, d[2], " overloaded, ");
        line.append(d[3]).append(" retries, ");
        optional(line, d[4], " would retry (observe), ");
        line.append(d[5]).append(" recovered, ")
                .append(d[6]).append(" gave up, waited ")
                .append(String.format(Locale.ROOT, "%.1f s", d[7] / 1e9));
        optional(line, d[10], " sends held back");
        optional(line, d[8], " over the retry budget");
        optional(line, d[9], " resent by a retry layer above");
        log.info("{}", line);
    }

    private static long[] counts(Metrics m) {
        return new long[] {m.requestCount(), m.rateLimitedCount(), m.overloadedCount(), m.retryCount(),
            m.wouldRetryCount(), m.recoveredCount(), m.gaveUpCount(), m.waitedNanos(), m.budgetSpentCount(),
            m.outerResendCount(), m.heldBackCount(), m.tokenLimitedCount()};
    }

    private static void optional(StringBuilder line, long count, String what) {
        if (count != 0) {
            line.append(", ").append(count).append(what);
        }
    }
}
