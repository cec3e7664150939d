package io.togetheragent.core;

/** A response's headers as any HTTP client holds them: the first value of a header, or null. */
public interface HeaderLookup {
    String get(String name);
}
