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
    /**
     * The names read: each quantity's name and its {@code -dynamic} variant side by side, so that a name's index
     * halved is its quantity, as {@link #take} tells them apart.
     */
    private static final String[] NAMES = {
        "x-ratelimit-limit", "x-ratelimit-limit-dynamic", "x-ratelimit-remaining", "x-ratelimit-remaining-dynamic",
        "x-tokenlimit-limit", "x-tokenlimit-limit-dynamic", "x-tokenlimit-remaining",
        "x-tokenlimit-remaining-dynamic", "x-ratelimit-reset"};
    /** For each length of a name, the bits of the {@link #NAMES} that long: most of a response's names have none. */
    private static final int[] NAMES_OF_LENGTH = namesOfLength();

    /** Requests per second allowed, or 0 when not said. */
    double requestLimit = -1;
    /** Requests left, or -1 when not said. */
    double requestsLeft = -1;
    /** Seconds until the limit resets, in nanoseconds, or -1 when not said. */
    long resetNanos = -1;
    /** Tokens per second allowed, or 0 when not said. */
    double tokenLimit = -1;
    /** Tokens left, or -1 when not said. */
    double tokensLeft = -1;

    /** Filled in by {@link #from} alone, which reads each value as it finds it. */
    private LimitHeaders() {
    }

    public static LimitHeaders from(HeaderLookup headers) {
        LimitHeaders read = new LimitHeaders();
        if (headers instanceof HeaderList) {
            read.walk((HeaderList) headers);
        } else {
            for (int k = 0; k < NAMES.length; k++) {
                read.take(k, headers.get(NAMES[k]));
            }
        }
        return read.settled();
    }

    /**
     * Each name's first value, in one pass. A name is compared only with the names of its length, exactly first:
     * Together sends them in lower case, and a comparison ignoring case, char by char, was most of this read.
     */
    private void walk(HeaderList headers) {
        int found = 0;
        for (int i = 0, count = headers.count(); i < count; i++) {
            String name = headers.name(i);
            int candidates = name == null || name.length() >= NAMES_OF_LENGTH.length ? 0
                    : NAMES_OF_LENGTH[name.length()] & ~found;
            for (; candidates != 0; candidates &= candidates - 1) {
                int k = Integer.numberOfTrailingZeros(candidates);
                if (NAMES[k].equals(name) || NAMES[k].equalsIgnoreCase(name)) {
                    take(k, headers.value(i));
                    found |= 1 << k;
                    break;
                }
            }
        }
    }

    /** Where a quantity is said twice, in its name and its dynamic variant, the tighter value counts. */
    private void take(int k, String value) {
        if (value == null) {
            return;
        }
        double number = decimal(value);
        switch (k / 2) {
            case 0:
                requestLimit = tighter(requestLimit, number);
                break;
            case 1:
                requestsLeft = tighter(requestsLeft, number);
                break;
            case 2:
                tokenLimit = tighter(tokenLimit, number);
                break;
            case 3:
                tokensLeft = tighter(tokensLeft, number);
                break;
            default:
                resetNanos = number >= 0 && number <= 3600 ? (long) (number * 1e9) : -1;
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

    /** A limit not said is 0: no pace is known. */
    private LimitHeaders settled() {
        requestLimit = Math.max(0, requestLimit);
        tokenLimit = Math.max(0, tokenLimit);
        return this;
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

    /** The tighter of two values, where -1 is not said. */
    private static double tighter(double a, double b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
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
