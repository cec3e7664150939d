package io.togetheragent.jmx;

import io.togetheragent.core.metrics.Metrics;

/** The counters of one host, or of all hosts, as a JMX bean. */
public class Counters implements CountersMBean {
    private final Metrics metrics;

    public Counters(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public long getRequests() {
        return metrics.requestCount();
    }

    @Override
    public long getRateLimited() {
        return metrics.rateLimitedCount();
    }

    @Override
    public long getTokenLimited() {
        return metrics.tokenLimitedCount();
    }

    @Override
    public long getOverloaded() {
        return metrics.overloadedCount();
    }

    @Override
    public long getRetries() {
        return metrics.retryCount();
    }

    @Override
    public long getWouldRetry() {
        return metrics.wouldRetryCount();
    }

    @Override
    public long getRecovered() {
        return metrics.recoveredCount();
    }

    @Override
    public long getGaveUp() {
        return metrics.gaveUpCount();
    }

    @Override
    public double getWaitedSeconds() {
        return metrics.waitedNanos() / 1e9;
    }

    @Override
    public long getHeldBack() {
        return metrics.heldBackCount();
    }

    @Override
    public long getOverBudget() {
        return metrics.budgetSpentCount();
    }

    @Override
    public long getResentByLayerAbove() {
        return metrics.outerResendCount();
    }

    @Override
    public long getKeyProblems() {
        return metrics.keyProblemCount();
    }
}
