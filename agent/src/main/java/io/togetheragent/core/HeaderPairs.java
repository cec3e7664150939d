package io.togetheragent.core;

/** Headers held as one array of name, value, name, value...: how URLConnection's answers are read once. */
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
}
