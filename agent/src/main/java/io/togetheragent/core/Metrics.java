package io.togetheragent.core;

import java.util.concurrent.atomic.LongAdder;

/** What the agent has seen and done since start, for log summaries and (later) JMX. */
public final class Metrics {
    public static final Metrics GLOBAL = new Metrics();

    public final LongAdder requests = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    public final LongAdder overloaded = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder wouldRetry = new LongAdder();
    public final LongAdder recovered = new LongAdder();
    public final LongAdder gaveUp = new LongAdder();
    public final LongAdder waitedNanos = new LongAdder();
    public final LongAdder keyProblems = new LongAdder();

    void countStatus(int status) {
        if (status == 429) {
            rateLimited.increment();
        } else if (status == 503) {
            overloaded.increment();
        }
    }
}
