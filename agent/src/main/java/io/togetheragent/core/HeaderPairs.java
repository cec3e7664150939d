package io.togetheragent.core;

/** Headers held as one array of name, value, name, value...: how URLConnection's answers are read once. */
public final class HeaderPairs implements HeaderList {
    private final String[] pairs;

    public HeaderPairs(String[] pairs) {
        this.pairs = pairs;
    }

    @Override
    public int count() {
        return pairs.length / 2;
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
