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

    /** Takes a token; returns 0 when one was taken, else the seconds until one will be there. */
    synchronized double take() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (1 - tokens) / rate;
    }

    synchronized int remaining() {
        return (int) Math.floor(tokens);
    }
}
