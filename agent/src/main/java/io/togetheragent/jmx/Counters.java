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
        return metrics.requests.sum();
    }

    @Override
    public long getRateLimited() {
        return metrics.rateLimited.sum();
    }

    @Override
    public long getTokenLimited() {
        return metrics.tokenLimited.sum();
    }

    @Override
    public long getOverloaded() {
        return metrics.overloaded.sum();
    }

    @Override
    public long getRetries() {
        return metrics.retries.sum();
    }

    @Override
    public long getWouldRetry() {
        return metrics.wouldRetry.sum();
    }

    @Override
    public long getRecovered() {
        return metrics.recovered.sum();
    }

    @Override
    public long getGaveUp() {
        return metrics.gaveUp.sum();
    }

    @Override
    public double getWaitedSeconds() {
        return metrics.waitedNanos.sum() / 1e9;
    }

    @Override
    public long getHeldBack() {
        return metrics.heldBack.sum();
    }

    @Override
    public long getOverBudget() {
        return metrics.budgetSpent.sum();
    }

    @Override
    public long getResentByLayerAbove() {
        return metrics.outerResends.sum();
    }

    @Override
    public long getKeyProblems() {
        return metrics.keyProblems.sum();
    }
}
