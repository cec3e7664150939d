package io.togetheragent.core;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 500ms}, {@code 20s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");

    private Durations() {}

    /** Milliseconds, or -1 when the text is not a duration with a unit. */
    public static long parseMillis(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        double amount = Double.parseDouble(m.group(1));
        double factor = m.group(2).equals("ms") ? 1 : m.group(2).equals("s") ? 1000 : 60_000;
        double millis = amount * factor;
        return millis > TimeUnit.DAYS.toMillis(365) ? -1 : Math.round(millis);
    }

    /** The shortest exact form: {@code 60s}, {@code 500ms}, {@code 2m}. */
    public static String format(long millis) {
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis != 0 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /**
     * What is left until a deadline on {@link System#nanoTime()}'s clock, in whole milliseconds rounded up and at
     * least 1: for clients whose timeout is in milliseconds, where 0 means none (Jetty's {@code timeout()}).
     */
    public static long millisLeft(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? 1 : Math.max(1, (left + 999_999) / 1_000_000);
    }

    /** Seconds with two decimals, for log lines: {@code 1.20 s}. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
