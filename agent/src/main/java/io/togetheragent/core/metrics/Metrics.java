package io.togetheragent.core.metrics;

import io.togetheragent.core.pacing.Limit;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the agent has seen and done since start, in all ({@link #GLOBAL}) and per host: for summary lines and JMX.
 * Counting into a host's metrics counts into the totals as well.
 */
public final class Metrics {
    public static final Metrics GLOBAL = new Metrics(null);
    private static final Map<String, Metrics> BY_HOST = new ConcurrentHashMap<>();
    /** Told of each host the first time it is counted (JMX registers a bean for it). */
    private static volatile Consumer<String> newHostListener = host -> { };
    /** The host asked for last, as asked: a service mostly calls one Together host, asked for on every request. */
    private static volatile Recent recent = new Recent(null, null);

    private final Metrics totals;
    public final LongAdder requests = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    /** The 429s that reported the token limit (counted in {@link #rateLimited} too). */
    public final LongAdder tokenLimited = new LongAdder();
    public final LongAdder overloaded = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder wouldRetry = new LongAdder();
    public final LongAdder recovered = new LongAdder();
    public final LongAdder gaveUp = new LongAdder();
    public final LongAdder waitedNanos = new LongAdder();
    public final LongAdder keyProblems = new LongAdder();
    /** Sends held back by the cool-down gate, the pace or max-concurrent; their waits count into waitedNanos. */
    public final LongAdder heldBack = new LongAdder();
    /** Failed calls handed back at once because the retry budget was spent. */
    public final LongAdder budgetSpent = new LongAdder();
    /** Calls a retry layer above the client sent again after the agent had retried them to the end. */
    public final LongAdder outerResends = new LongAdder();

    private Metrics(Metrics totals) {
        this.totals = totals;
    }

    public static Metrics forHost(String host) {
        Recent last = recent;
        if (host != null && host.equals(last.host)) {
            return last.metrics;
        }
        Metrics m = find(host);
        recent = new Recent(host, m);
        return m;
    }

    private static Metrics find(String host) {
        String name = host == null ? "(unknown)" : host.toLowerCase(java.util.Locale.ROOT);
        Metrics m = BY_HOST.get(name);
        if (m == null) {
            Metrics created = new Metrics(GLOBAL);
            m = BY_HOST.putIfAbsent(name, created);
            if (m == null) {
                m = created;
                newHostListener.accept(name);
            }
        }
        return m;
    }

    public static Map<String, Metrics> hosts() {
        return Collections.unmodifiableMap(BY_HOST);
    }

    /** Replaces the listener, and tells it of every host counted so far. */
    public static void onNewHost(Consumer<String> listener) {
        newHostListener = listener;
        BY_HOST.keySet().forEach(listener);
    }

    public void request() {
        requests.increment();
        if (totals != null) {
            totals.request();
        }
    }

    public void status(int status, Limit limit) {
        if (status == 429) {
            rateLimited.increment();
            if (limit == Limit.TOKENS) {
                tokenLimited.increment();
            }
        } else if (status == 503) {
            overloaded.increment();
        }
        if (totals != null) {
            totals.status(status, limit);
        }
    }

    public void retry(long delayNanos) {
        retries.increment();
        waitedNanos.add(delayNanos);
        if (totals != null) {
            totals.retry(delayNanos);
        }
    }

    public void wouldRetry() {
        wouldRetry.increment();
        if (totals != null) {
            totals.wouldRetry();
        }
    }

    public void recovered() {
        recovered.increment();
        if (totals != null) {
            totals.recovered();
        }
    }

    public void gaveUp() {
        gaveUp.increment();
        if (totals != null) {
            totals.gaveUp();
        }
    }

    public void heldBack(long nanos) {
        heldBack.increment();
        waitedNanos.add(nanos);
        if (totals != null) {
            totals.heldBack(nanos);
        }
    }

    public void budgetSpent() {
        budgetSpent.increment();
        if (totals != null) {
            totals.budgetSpent();
        }
    }

    public void outerResend() {
        outerResends.increment();
        if (totals != null) {
            totals.outerResend();
        }
    }

    public void keyProblem() {
        keyProblems.increment();
        if (totals != null) {
            totals.keyProblem();
        }
    }

    private static final class Recent {
        final String host;
        final Metrics metrics;

        Recent(String host, Metrics metrics) {
            this.host = host;
            this.metrics = metrics;
        }
    }
}
