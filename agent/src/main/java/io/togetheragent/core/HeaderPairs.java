package io.togetheragent.core;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Headers held as one array of name, value, name, value...: how a response's headers are read once where the
 * client's own can only be walked or asked by name (Jetty 9 to 11's), each name a walk of its own, while the core
 * reads ten names of every answer.
 */
public final class HeaderPairs implements HeaderList {
    private final String[] pairs;
    private final int count;

    public HeaderPairs(String[] pairs) {
        this(pairs, pairs.length / 2);
    }

    /** The first {@code count} pairs of the array. */
    public HeaderPairs(String[] pairs, int count) {
        this.pairs = pairs;
        this.count = count;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public String name(int index) {
        return pairs[2 * index];
    }

    @Override
    public String value(int index) {
        return pairs[2 * index + 1];
    }

    /** Takes the headers as a client hands them out one by one ({@code forEach}), in order. */
    public static final class Collector implements BiConsumer<String, String> {
        // Room for a Together answer's usual headers (its limit headers, their dynamic variants, the usual ones).
        private String[] pairs = new String[32];
        private int n;

        @Override
        public void accept(String name, String value) {
            if (n + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, 2 * pairs.length);
            }
            pairs[n++] = name;
            pairs[n++] = value;
        }

        public HeaderPairs collected() {
            return new HeaderPairs(pairs, n / 2);
        }
    }
}
