package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.HeaderLookup;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * The JDK client's headers as the core reads them: by their map, whose names compare ignoring case, as
 * {@code firstValue} itself finds them. {@code firstValue} streams the values into an {@code Optional} for every name
 * asked (the core asks some ten of each answer): over a kilobyte per call.
 */
final class JdkHeaders implements HeaderLookup {
    private final Map<String, List<String>> map;

    JdkHeaders(HttpHeaders headers) {
        this.map = headers.map();
    }

    @Override
    public String get(String name) {
        List<String> values = map.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
