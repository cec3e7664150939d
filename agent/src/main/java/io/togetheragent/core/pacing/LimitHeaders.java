package io.togetheragent.core.pacing;

import io.togetheragent.core.HeaderList;
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

    /** The names read, in the order of {@link #from(String[])}'s values. */
    private static final String[] NAMES = {
        "x-ratelimit-limit", "x-ratelimit-limit-dynamic", "x-tokenlimit-limit", "x-tokenlimit-limit-dynamic",
        "x-ratelimit-reset", "x-ratelimit-remaining", "x-ratelimit-remaining-dynamic", "x-tokenlimit-remaining",
        "x-tokenlimit-remaining-dynamic"};
    /** For each length of a name, the bits of the {@link #NAMES} that long: most of a response's names have none. */
    private static final int[] NAMES_OF_LENGTH = namesOfLength();

    public static LimitHeaders from(HeaderLookup headers) {
        String[] values = new String[NAMES.length];
        if (headers instanceof HeaderList) {
            walk((HeaderList) headers, values);
        } else {
            for (int i = 0; i < NAMES.length; i++) {
                values[i] = headers.get(NAMES[i]);
            }
        }
        return from(values);
    }

    private static LimitHeaders from(String[] values) {
        double requestLimit = tighter(values[0], values[1]);
        double tokenLimit = tighter(values[2], values[3]);
        double reset = number(values[4]);
        return new LimitHeaders(Math.max(0, requestLimit), tighter(values[5], values[6]),
                reset >= 0 && reset <= 3600 ? (long) (reset * 1e9) : -1, Math.max(0, tokenLimit),
                tighter(values[7], values[8]));
    }

    /**
     * Each name's first value, in one pass. A name is compared only with the names of its length, and exactly
     * before ignoring case, which goes char by char: Together sends them in lower case.
     */
    private static void walk(HeaderList headers, String[] values) {
        int found = 0;
        for (int i = 0, count = headers.count(); i < count; i++) {
            String name = headers.name(i);
            int candidates = name == null || name.length() >= NAMES_OF_LENGTH.length ? 0
                    : NAMES_OF_LENGTH[name.length()] & ~found;
            for (; candidates != 0; candidates &= candidates - 1) {
                int k = Integer.numberOfTrailingZeros(candidates);
                if (NAMES[k].equals(name) || NAMES[k].equalsIgnoreCase(name)) {
                    values[k] = headers.value(i);
                    found |= 1 << k;
                    break;
                }
            }
        }
    }

    private static int[] namesOfLength() {
        int longest = 0;
        for (String name : NAMES) {
            longest = Math.max(longest, name.length());
        }
        int[] namesOfLength = new int[longest + 1];
        for (int k = 0; k < NAMES.length; k++) {
            namesOfLength[NAMES[k].length()] |= 1 << k;
        }
        return namesOfLength;
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

    private static double tighter(String value, String dynamicValue) {
        double a = number(value);
        double b = number(dynamicValue);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static double number(String value) {
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
