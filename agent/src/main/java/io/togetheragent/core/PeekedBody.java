package io.togetheragent.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The first bytes of a response body, read for the key check, and the body as the application must still read it:
 * those bytes, then the rest of the stream, or, where the body broke off while it was peeked at, the same failure
 * at the same place. Buffering the body instead would hand over nothing but a different exception (issue 13).
 */
public final class PeekedBody {
    private final byte[] head;
    private final IOException failure;
    private final InputStream rest;

    private PeekedBody(byte[] head, IOException failure, InputStream rest) {
        this.head = head;
        this.failure = failure;
        this.rest = rest;
    }

    /** Reads up to {@code limit} bytes of {@code body}, stopping at its end or at the first failure. */
    public static PeekedBody read(InputStream body, int limit) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        IOException failure = null;
        try {
            byte[] buf = new byte[Math.min(limit, 8192)];
            while (head.size() < limit) {
                int n = body.read(buf, 0, Math.min(buf.length, limit - head.size()));
                if (n <= 0) {
                    break;
                }
                head.write(buf, 0, n);
            }
        } catch (IOException e) {
            failure = e;
        }
        return new PeekedBody(head.toByteArray(), failure, body);
    }

    /** What was read, as text for the key check. */
    public String text() {
        return new String(head, StandardCharsets.UTF_8);
    }

    /** Writes the body as {@link #replay} reads it, for a client entity's {@code writeTo}. */
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = replay()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }
    }

    /** The body for the application: the bytes read, then the failure met reading them, or else the rest. */
    public InputStream replay() {
        return new InputStream() {
            private int next;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (next < head.length) {
                    int n = Math.min(len, head.length - next);
                    System.arraycopy(head, next, b, off, n);
                    next += n;
                    return n;
                }
                if (failure != null) {
                    throw failure;
                }
                return rest.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return next < head.length ? head.length - next : failure != null ? 0 : rest.available();
            }

            @Override
            public void close() throws IOException {
                rest.close();
            }
        };
    }
}
