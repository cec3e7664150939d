package io.togetheragent.testapp.standin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One request as the stand-in received it. */
public final class RecordedRequest {
    public final String method;
    public final String path;
    /** Header names in lower case, first value only. */
    public final Map<String, String> headers;
    public final byte[] body;
    /** When it arrived, on {@link System#nanoTime()}'s clock. */
    public final long receivedNanos;

    RecordedRequest(String method, String path, Map<String, String> headers, byte[] body, long receivedNanos) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.receivedNanos = receivedNanos;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
