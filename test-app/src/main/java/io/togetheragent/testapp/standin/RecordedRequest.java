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
    /** The client's port: requests with the same one came over the same connection. */
    public final int clientPort;
    /** The status it was answered with; 0 until answered. */
    public volatile int status;
    /** On a 429, Together's error type: the limit that refused it. */
    public volatile String refusal;

    RecordedRequest(String method, String path, Map<String, String> headers, byte[] body, long receivedNanos,
                    int clientPort) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.receivedNanos = receivedNanos;
        this.clientPort = clientPort;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
