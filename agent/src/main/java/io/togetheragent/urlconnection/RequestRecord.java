package io.togetheragent.urlconnection;

import io.togetheragent.core.FailOpen;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.util.Arrays;
import javax.net.ssl.HttpsURLConnection;

/**
 * What the application asked of its connection that cannot be read back from the JDK's connection once it has
 * connected — request headers, streaming mode, authenticator — and the body it wrote. Everything else is copied
 * from the previous attempt through its getters.
 */
final class RequestRecord {
    private static final String[] NO_HEADERS = {};
    private static final byte[] NO_BODY = {};
    private static final String ADD = "add";
    private static final String SET = "set";

    /** The application's header calls in order, three entries each: {@link #ADD} or {@link #SET}, name, value. */
    private String[] headers = NO_HEADERS;
    private int headerEntries;
    private long fixedLength = -1;
    private int chunkLength = -1;
    private Object authenticator;
    private boolean bodyOpened;
    private RecordingOutputStream body;

    void header(boolean add, String key, String value) {
        if (headerEntries + 3 > headers.length) {
            headers = Arrays.copyOf(headers, Math.max(12, 2 * headers.length));
        }
        headers[headerEntries++] = add ? ADD : SET;
        headers[headerEntries++] = key;
        headers[headerEntries++] = value;
    }

    void fixedLength(long length) {
        fixedLength = length;
    }

    void chunked(int length) {
        chunkLength = length;
    }

    void authenticator(Object auth) {
        authenticator = auth;
    }

    OutputStream body(OutputStream jdkStream, int limit) {
        bodyOpened = true;
        if (body == null || body.target() != jdkStream) {
            body = new RecordingOutputStream(jdkStream, limit, fixedLength);
        }
        return body;
    }

    /** The value the application last gave this request header, or null. */
    String requestProperty(String name) {
        String value = null;
        for (int i = 0; i < headerEntries; i += 3) {
            if (headers[i + 1] != null && headers[i + 1].equalsIgnoreCase(name)) {
                value = headers[i + 2];
            }
        }
        return value;
    }

    /** Whether the application chose a streaming mode: the JDK then sends the headers as the body is opened. */
    boolean streaming() {
        return fixedLength >= 0 || chunkLength >= 0;
    }

    /** The body's length as declared (fixed-length streaming), else -1. */
    long declaredLength() {
        return fixedLength;
    }

    boolean bodyOpened() {
        return bodyOpened;
    }

    /** The body held until it is whole (see {@link RecordingOutputStream}); the same stream when asked again. */
    OutputStream heldBody(int limit, RecordingOutputStream.Opener opener) {
        bodyOpened = true;
        if (body == null) {
            body = new RecordingOutputStream(limit, fixedLength, opener);
        }
        return body;
    }

    boolean holdsBody() {
        return body != null && body.holds();
    }

    /** A held body goes now, whole or not, as the response is asked for. */
    void sendHeldBody() throws IOException {
        if (holdsBody()) {
            body.send();
        }
    }

    /** The body as written (empty when none was), or null when it was too long to keep. */
    byte[] bodyBytes() {
        return body == null ? NO_BODY : body.recorded();
    }

    /** Why the body cannot be sent again, or null when it can. */
    String whyNotReplayable(int limit) {
        return body != null && !body.kept()
                ? "its request body was longer than max-replay-bytes (" + limit + ") and so was not kept" : null;
    }

    /** Sets up a fresh connection as the application set up the previous one, and writes the same body. */
    void replay(HttpURLConnection previous, HttpURLConnection next) throws IOException {
        FailOpen.injectFault("replay");
        setUp(previous, next);
        if (bodyOpened) {
            try (OutputStream out = next.getOutputStream()) {
                out.write(body.recorded());
            }
        }
    }

    /** Sets up a fresh connection as the application set up the previous one: all but the body. */
    void setUp(HttpURLConnection previous, HttpURLConnection next) throws IOException {
        next.setRequestMethod(previous.getRequestMethod());
        next.setDoInput(previous.getDoInput());
        next.setDoOutput(previous.getDoOutput());
        next.setUseCaches(previous.getUseCaches());
        next.setAllowUserInteraction(previous.getAllowUserInteraction());
        next.setIfModifiedSince(previous.getIfModifiedSince());
        next.setConnectTimeout(previous.getConnectTimeout());
        next.setReadTimeout(previous.getReadTimeout());
        next.setInstanceFollowRedirects(previous.getInstanceFollowRedirects());
        if (previous instanceof HttpsURLConnection && next instanceof HttpsURLConnection) {
            ((HttpsURLConnection) next).setSSLSocketFactory(((HttpsURLConnection) previous).getSSLSocketFactory());
            ((HttpsURLConnection) next).setHostnameVerifier(((HttpsURLConnection) previous).getHostnameVerifier());
        }
        for (int i = 0; i < headerEntries; i += 3) {
            if (headers[i] == ADD) {
                next.addRequestProperty(headers[i + 1], headers[i + 2]);
            } else {
                next.setRequestProperty(headers[i + 1], headers[i + 2]);
            }
        }
        if (fixedLength >= 0) {
            next.setFixedLengthStreamingMode(fixedLength);
        } else if (chunkLength >= 0) {
            next.setChunkedStreamingMode(chunkLength);
        }
        if (authenticator != null) {
            setAuthenticator(next, authenticator);
        }
    }

    /** {@code HttpURLConnection.setAuthenticator} is Java 9+; the agent is compiled for Java 8. */
    static void setAuthenticator(HttpURLConnection c, Object auth) {
        try {
            Method m = HttpURLConnection.class.getMethod("setAuthenticator", java.net.Authenticator.class);
            m.invoke(c, auth);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("setAuthenticator needs Java 9 or later", e);
        }
    }
}
