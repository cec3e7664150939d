package io.togetheragent.core.metrics;

import io.togetheragent.core.pacing.Limit;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the agent has seen and done since start, per host and in all ({@link #GLOBAL}): for summary lines and JMX.
 * An event is counted once, into its host's counters; the totals are the hosts' sums, added up when they are read
 * (a summary line, a JMX read), so that a request writes one counter that other cores' requests write too, not two.
 */
public final class Metrics {
    /** All hosts together: never counted into, its counts are read from the hosts'. */
    public static final Metrics GLOBAL = new Metrics();
    private static final Map<String, Metrics> BY_HOST = new ConcurrentHashMap<>();
    /** Told of each host the first time it is counted (JMX registers a bean for it). */
    private static volatile Consumer<String> newHostListener = host -> { };
    /** The host asked for last, as asked: a service mostly calls one Together host, asked for on every request. */
    private static volatile Recent recent = new Recent(null, null);

    private final LongAdder requests = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    /** The 429s that reported the token limit (counted in {@link #rateLimited} too). */
    private final LongAdder tokenLimited = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder wouldRetry = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder keyProblems = new LongAdder();
    /** Sends held back by the cool-down gate, the pace or max-concurrent; their waits count into waitedNanos. */
    private final LongAdder heldBack = new LongAdder();
    /** Failed calls handed back at once because the retry budget was spent. */
    private final LongAdder budgetSpent = new LongAdder();
    /** Calls a retry layer above the client sent again after the agent had retried them to the end. */
    private final LongAdder outerResends = new LongAdder();

    private Metrics() {}

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
            Metrics created = new Metrics();
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
    }

    public void retry(long delayNanos) {
        retries.increment();
        waitedNanos.add(delayNanos);
    }

    public void wouldRetry() {
        wouldRetry.increment();
    }

    public void recovered() {
        recovered.increment();
    }

    public void gaveUp() {
        gaveUp.increment();
    }

    public void heldBack(long nanos) {
        heldBack.increment();
        waitedNanos.add(nanos);
    }

    public void budgetSpent() {
        budgetSpent.increment();
    }

    public void outerResend() {
        outerResends.increment();
    }

    public void keyProblem() {
        keyProblems.increment();
    }

    public long requestCount() {
        return count(m -> m.requests);
    }

    public long rateLimitedCount() {
        return count(m -> m.rateLimited);
    }

    public long tokenLimitedCount() {
        return count(m -> m.tokenLimited);
    }

    public long overloadedCount() {
        return count(m -> m.overloaded);
    }

    public long retryCount() {
        return count(m -> m.retries);
    }

    public long wouldRetryCount() {
        return count(m -> m.wouldRetry);
    }

    public long recoveredCount() {
        return count(m -> m.recovered);
    }

    public long gaveUpCount() {
        return count(m -> m.gaveUp);
    }

    public long waitedNanos() {
        return count(m -> m.waitedNanos);
    }

    public long keyProblemCount() {
        return count(m -> m.keyProblems);
    }

    public long heldBackCount() {
        return count(m -> m.heldBack);
    }

    public long budgetSpentCount() {
        return count(m -> m.budgetSpent);
    }

    public long outerResendCount() {
        return count(m -> m.outerResends);
    }

    private long count(Function<Metrics, LongAdder> counter) {
        if (this != GLOBAL) {
            return counter.apply(this).sum();
        }
        long sum = 0;
        for (Metrics host : BY_HOST.values()) {
            sum += counter.apply(host).sum();
        }
        return sum;
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
