package io.togetheragent.urlconnection;

import io.togetheragent.core.HeaderList;
import java.net.HttpURLConnection;
import java.util.Arrays;

/**
 * An attempt's response headers for the core: their names read once, a value only where the core asks for it
 * (its limit headers; most of an answer's others it never reads). Each of the JDK's header getters takes the
 * connection's lock and checks its state again.
 */
final class AttemptHeaders implements HeaderList {
    private final HttpURLConnection attempt;
    private String[] names = new String[16];
    private final int count;

    AttemptHeaders(HttpURLConnection attempt) {
        this.attempt = attempt;
        int n = 0;
        // Field 0 is the status line, whose key is null; a later line without a name has a value.
        for (int i = 1; ; i++) {
            String name = attempt.getHeaderFieldKey(i);
            if (name == null && attempt.getHeaderField(i) == null) {
                break;
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, 2 * n);
            }
            names[n++] = name;
        }
        count = n;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public String name(int index) {
        return names[index];
    }

    @Override
    public String value(int index) {
        return attempt.getHeaderField(index + 1);
    }
}
