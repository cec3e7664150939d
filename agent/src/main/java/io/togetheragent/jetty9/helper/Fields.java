package io.togetheragent.jetty9.helper;

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
