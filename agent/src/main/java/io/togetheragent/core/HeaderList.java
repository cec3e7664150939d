package io.togetheragent.core;

/**
 * A response's headers as a client holds them in order, name and value by index: where asking for one name walks
 * the whole list (and some clients allocate for each answer), the core walks it once for all the names it reads.
 */
public interface HeaderList extends HeaderLookup {
    int count();

    /** The name at this index, as sent (any case); may be null where the client keeps one without a name. */
    String name(int index);

    String value(int index);

    @Override
    default String get(String name) {
        for (int i = 0; i < count(); i++) {
            if (name.equalsIgnoreCase(name(i))) {
                return value(i);
            }
        }
        return null;
    }
}
