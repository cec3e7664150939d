package io.togetheragent.testapp.standin;

/** Together's request limit as a token bucket: {@code rate} requests per second, bursts of {@code burst}. */
final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double rate, int burst) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    /** Takes a token if there is one; returns whether it did. */
    synchronized boolean take() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Seconds until the bucket is full again: when "the limit resets", in Together's words. */
    synchronized double secondsToReset() {
        refill();
        return (burst - tokens) / rate;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
    }

    synchronized int remaining() {
        return (int) Math.floor(tokens);
    }
}
