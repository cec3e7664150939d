package io.togetheragent.core.retry;

import java.util.concurrent.TimeUnit;

/**
 * Retries may be at most a share of the calls begun in the last {@link #WINDOW_SECONDS} seconds, plus a small
 * floor, as Envoy's retry budget: in an outage a fleet then adds a fifth to Together's load instead of multiplying
 * it by the retry count. Counted in one-second buckets.
 */
final class RetryBudget {
    static final int WINDOW_SECONDS = 10;
    /** Retries always allowed in a window, so a quiet service still retries its few calls. */
    static final int FLOOR = 10;

    private final long[] second = new long[WINDOW_SECONDS];
    private final int[] calls = new int[WINDOW_SECONDS];
    private final int[] retries = new int[WINDOW_SECONDS];
    private long saidAt = Long.MIN_VALUE;

    synchronized void callBegun(long now) {
        calls[bucket(now)]++;
    }

    /** Takes one retry from the budget if it has one; false when it is spent. */
    synchronized boolean tryRetry(long now, int percent) {
        int slot = bucket(now);
        long s = seconds(now);
        if (percent >= 0 && sumRecent(retries, s) >= FLOOR + sumRecent(calls, s) * (long) percent / 100) {
            return false;
        }
        retries[slot]++;
        return true;
    }

    /** Whether a refusal now is the first in a window: the one to log; the rest are counted. */
    synchronized boolean firstRefusalOfWindow(long now) {
        if (saidAt != Long.MIN_VALUE && now - saidAt < TimeUnit.SECONDS.toNanos(WINDOW_SECONDS)) {
            return false;
        }
        saidAt = now;
        return true;
    }

    /** "12 retries for 40 calls in the last 10s", for the log line. */
    synchronized String describe(long now) {
        bucket(now);
        long s = seconds(now);
        return sumRecent(retries, s) + " retries for " + sumRecent(calls, s) + " calls in the last " + WINDOW_SECONDS
                + "s";
    }

    /** The bucket of this second, emptied when it last held an older second. */
    private int bucket(long now) {
        long s = seconds(now);
        int slot = (int) Math.floorMod(s, (long) WINDOW_SECONDS);
        if (second[slot] != s) {
            second[slot] = s;
            calls[slot] = 0;
            retries[slot] = 0;
        }
        return slot;
    }

    private static long seconds(long now) {
        return Math.floorDiv(now, TimeUnit.SECONDS.toNanos(1));
    }

    /** Only buckets of the last window count; the others hold older seconds not yet overwritten. */
    private int sumRecent(int[] counts, long current) {
        int sum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (second[i] > current - WINDOW_SECONDS) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
