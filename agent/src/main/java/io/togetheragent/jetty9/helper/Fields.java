package io.togetheragent.jetty9.helper;

import io.togetheragent.core.HeaderPairs;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Header lookups that link on Jetty 9.4, 10 and 11: {@code HttpFields} is a class in 9.4 and an interface from 10
 * on, so its own methods cannot be called from code compiled against one of them; as an {@code Iterable} it is
 * the same in all three.
 */
final class Fields {
    private Fields() {}

    @SuppressWarnings("unchecked")
    static Iterable<HttpField> of(HttpFields fields) {
        return (Iterable<HttpField>) (Object) fields;
    }

    /** An answer's headers, walked once: the core reads ten names of each, and each get walks them all. */
    static HeaderPairs pairs(HttpFields fields) {
        HeaderPairs.Collector pairs = new HeaderPairs.Collector();
        for (HttpField field : of(fields)) {
            pairs.accept(field.getName(), field.getValue());
        }
        return pairs.collected();
    }

    /** The first value of the header, or null. */
    static String get(HttpFields fields, String name) {
        for (HttpField field : of(fields)) {
            if (field.getName().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
