package io.togetheragent.core.pacing;

import io.togetheragent.core.HeaderLookup;
import java.util.regex.Pattern;

/**
 * Together's limit headers on one response: {@code x-ratelimit-limit} (requests per second),
 * {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (seconds), and {@code x-tokenlimit-limit} and
 * {@code x-tokenlimit-remaining} (tokens per second); the limits and remainders each also in a {@code -dynamic}
 * variant, and where both are present the tighter one counts. A malformed value counts as absent.
 */
public final class LimitHeaders {
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
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
        double requestLimit = tighter(headers, "x-ratelimit-limit");
        double tokenLimit = tighter(headers, "x-tokenlimit-limit");
        double reset = number(headers, "x-ratelimit-reset");
        return new LimitHeaders(Math.max(0, requestLimit), tighter(headers, "x-ratelimit-remaining"),
                reset >= 0 && reset <= 3600 ? (long) (reset * 1e9) : -1, Math.max(0, tokenLimit),
                tighter(headers, "x-tokenlimit-remaining"));
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

    private static double tighter(HeaderLookup headers, String name) {
        double a = number(headers, name);
        double b = number(headers, name + "-dynamic");
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
