package io.togetheragent.core.pacing;

import io.togetheragent.core.HeaderLookup;

/**
 * Together's limit headers on one response: {@code x-ratelimit-limit} (requests per second),
 * {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (seconds), and {@code x-tokenlimit-limit} and
 * {@code x-tokenlimit-remaining} (tokens per second); the limits and remainders each also in a {@code -dynamic}
 * variant, and where both are present the tighter one counts. A malformed value counts as absent.
 */
public final class LimitHeaders {
    /** Exact in a double, and every decimal of at most 15 digits is below 2^53: one division rounds it right. */
    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    static final LimitHeaders NONE = new LimitHeaders(0, -1, -1, 0, -1);

    /** Requests per second allowed, or 0 when not said. */
    final double requestLimit;
    /** Requests left, or -1 when not said. */
    final double requestsLeft;
    /** Seconds until the limit resets, in nanoseconds, or -1 when not said. */
    final long resetNanos;
    /** Tokens per second allowed, or 0 when not said. */
    final double tokenLimit;
    /** Tokens left, or -1 when not said. */
    final double tokensLeft;

    private LimitHeaders(double requestLimit, double requestsLeft, long resetNanos, double tokenLimit,
                         double tokensLeft) {
        this.requestLimit = requestLimit;
        this.requestsLeft = requestsLeft;
        this.resetNanos = resetNanos;
        this.tokenLimit = tokenLimit;
        this.tokensLeft = tokensLeft;
    }

    public static LimitHeaders from(HeaderLookup headers) {
        double requestLimit = tighter(headers, "x-ratelimit-limit", "x-ratelimit-limit-dynamic");
        double tokenLimit = tighter(headers, "x-tokenlimit-limit", "x-tokenlimit-limit-dynamic");
        double reset = number(headers, "x-ratelimit-reset");
        return new LimitHeaders(Math.max(0, requestLimit),
                tighter(headers, "x-ratelimit-remaining", "x-ratelimit-remaining-dynamic"),
                reset >= 0 && reset <= 3600 ? (long) (reset * 1e9) : -1, Math.max(0, tokenLimit),
                tighter(headers, "x-tokenlimit-remaining", "x-tokenlimit-remaining-dynamic"));
    }

    /**
     * The cool-down this answer asks for, or -1 for none: after a 429, until the reset (the later of the headers'
     * and the retry-after hint, else {@code defaultNanos}); after the last request of the window, until its reset.
     */
    public long coolDownNanos(int status, long hintNanos, long defaultNanos) {
        if (status == 429) {
            long reset = Math.max(resetNanos, hintNanos);
            return reset > 0 ? reset : defaultNanos;
        }
        return requestsLeft >= 0 && requestsLeft < 1 && resetNanos > 0 ? resetNanos : -1;
    }

    /** Requests left, or -1 when not said. */
    public double requestsLeft() {
        return requestsLeft;
    }

    /** Tokens left, or -1 when not said. */
    public double tokensLeft() {
        return tokensLeft;
    }

    private static double tighter(HeaderLookup headers, String name, String dynamicName) {
        double a = number(headers, name);
        double b = number(headers, dynamicName);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static double number(HeaderLookup headers, String name) {
        String value = headers.get(name);
        return value == null ? -1 : decimal(value);
    }

    /**
     * A value of 1 to 12 digits, then optionally a point and 1 to 9 digits, around which only white space may
     * stand; else -1. Read by hand: it is read on every answer to a Together call.
     */
    static double decimal(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= ' ') {
            end--;
        }
        long digits = 0;
        int whole = 0;
        int fraction = -1;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c == '.' && fraction < 0 && whole > 0) {
                fraction = 0;
            } else if (c < '0' || c > '9' || (fraction < 0 ? ++whole > 12 : ++fraction > 9)) {
                return -1;
            } else {
                digits = digits * 10 + (c - '0');
            }
        }
        if (whole == 0 || fraction == 0) {
            return -1;
        }
        if (whole + Math.max(0, fraction) > 15) {
            return Double.parseDouble(value.substring(start, end));
        }
        return fraction < 0 ? digits : digits / POWERS_OF_TEN[fraction];
    }
}
