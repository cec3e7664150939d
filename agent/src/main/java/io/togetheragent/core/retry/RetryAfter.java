package io.togetheragent.core.retry;

import io.togetheragent.core.HeaderLookup;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The server's own answer to "when may I retry?": {@code retry-after-ms}, else {@code retry-after}
 * (delta-seconds, fractional allowed, or an HTTP-date), else Together's {@code x-ratelimit-reset}
 * (relative seconds). A malformed hint counts as absent, never as an error.
 */
public final class RetryAfter {
    /** Hints beyond this are taken for garbage rather than a real instruction. */
    static final long ABSURD_MILLIS = TimeUnit.DAYS.toMillis(1);

    private static final Pattern DECIMAL = Pattern.compile("\\d{1,15}(\\.\\d{1,9})?");

    public final long millis;
    /** The header the hint came from, for log lines. */
    public final String source;

    private RetryAfter(long millis, String source) {
        this.millis = millis;
        this.source = source;
    }

    /** The hint, or null when the response carries none that makes sense. */
    public static RetryAfter from(HeaderLookup headers, long nowEpochMillis) {
        Long ms = decimal(headers.get("retry-after-ms"), 1);
        if (ms != null) {
            return new RetryAfter(ms, "retry-after-ms");
        }
        String retryAfter = headers.get("retry-after");
        Long ra = decimal(retryAfter, 1000);
        if (ra == null) {
            ra = httpDate(retryAfter, nowEpochMillis);
        }
        if (ra != null) {
            return new RetryAfter(ra, "retry-after");
        }
        Long reset = decimal(headers.get("x-ratelimit-reset"), 1000);
        return reset == null ? null : new RetryAfter(reset, "x-ratelimit-reset");
    }

    private static Long decimal(String value, double unitMillis) {
        if (value == null || !DECIMAL.matcher(value.trim()).matches()) {
            return null;
        }
        long millis = (long) Math.ceil(Double.parseDouble(value.trim()) * unitMillis);
        return millis > ABSURD_MILLIS ? null : millis;
    }

    private static Long httpDate(String value, long nowEpochMillis) {
        if (value == null) {
            return null;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            long millis = at.toInstant().toEpochMilli() - nowEpochMillis;
            return millis <= 0 || millis > ABSURD_MILLIS ? null : millis;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
