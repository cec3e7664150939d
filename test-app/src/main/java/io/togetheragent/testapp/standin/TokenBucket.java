package io.togetheragent.testapp.standin;

/**
 * One of Together's limits as a token bucket: {@code rate} units (requests, or tokens) per second, bursts of
 * {@code burst}.
 */
final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double rate, double burst) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    /** Takes one unit if there is one; returns whether it did. */
    synchronized boolean take() {
        return take(1);
    }

    /** Takes this many units if there are as many; returns whether it did. */
    synchronized boolean take(double units) {
        refill();
        if (tokens >= units) {
            tokens -= units;
            return true;
        }
        return false;
    }

    /** Whether this many units are there now; takes nothing. */
    synchronized boolean has(double units) {
        refill();
        return tokens >= units;
    }

    /** Seconds until the bucket is full again: when "the limit resets", in Together's words. */
    synchronized double secondsToReset() {
        refill();
        return (burst - tokens) / rate;
    }

    /** Seconds until this many units are there. */
    synchronized double secondsUntil(double units) {
        refill();
        return Math.max(0, (Math.min(units, burst) - tokens) / rate);
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
    }

    synchronized int remaining() {
        refill();
        return (int) Math.floor(tokens);
    }

    double rate() {
        return rate;
    }
}
