package io.togetheragent.core;

import java.util.regex.Pattern;

/**
 * Together's request-limit headers on one response: {@code x-ratelimit-limit} (requests per second),
 * {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (seconds), each also in a {@code -dynamic} variant;
 * where both are present the tighter one counts. A malformed value counts as absent.
 */
final class RateLimitHeaders {
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

    /** Requests per second allowed, or 0 when not said. */
    final double limit;
    /** Requests left, or -1 when not said. */
    final double remaining;
    /** Seconds until the limit resets, in nanoseconds, or -1 when not said. */
    final long resetNanos;

    private RateLimitHeaders(double limit, double remaining, long resetNanos) {
        this.limit = limit;
        this.remaining = remaining;
        this.resetNanos = resetNanos;
    }

    static RateLimitHeaders from(HeaderLookup headers) {
        double limit = tighter(number(headers, "x-ratelimit-limit"), number(headers, "x-ratelimit-limit-dynamic"));
        double remaining = tighter(number(headers, "x-ratelimit-remaining"),
                number(headers, "x-ratelimit-remaining-dynamic"));
        double reset = number(headers, "x-ratelimit-reset");
        return new RateLimitHeaders(limit > 0 ? limit : 0, remaining,
                reset >= 0 && reset <= 3600 ? (long) (reset * 1e9) : -1);
    }

    boolean saysAnything() {
        return limit > 0 || remaining >= 0;
    }

    private static double tighter(double a, double b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static double number(HeaderLookup headers, String name) {
        String value = headers.get(name);
        if (value == null || !DECIMAL.matcher(value.trim()).matches()) {
            return -1;
        }
        return Double.parseDouble(value.trim());
    }
}
