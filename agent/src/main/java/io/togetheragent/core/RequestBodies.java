package io.togetheragent.core;

import io.togetheragent.core.retry.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A replayable request body written once more into memory: for the model it names (read for every call, as it
 * chooses the call's lane) and to recognise a call a layer above sends again. A body longer than
 * {@code max-replay-bytes} (a file upload) is not held in memory for that.
 */
public final class RequestBodies {
    private static final byte[] NONE = {};

    /** How a client's body writes itself: {@code entity::writeTo}, {@code body::writeTo}. */
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private RequestBodies() {}

    /**
     * The bytes the body writes (empty for no body), or null when it cannot be written again or is longer than
     * {@code max-replay-bytes}.
     *
     * @param length the body's length where the client knows it, else -1: the copy is made that size
     */
    public static byte[] bytes(Writer body, long length) {
        if (body == null) {
            return NONE;
        }
        SentBytes copy = copyFor(length);
        if (copy == null) {
            return null;
        }
        try {
            body.writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    copy.sent(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    copy.sent(b, off, len);
                }
            });
            return copy.tooLong() ? null : copy.bytes(-1);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * A body a client keeps in memory, in buffers it reads again for each send (Jetty's), as one array, the buffers
     * left as they were; null when its length is unknown, past {@code max-replay-bytes}, or not the buffers' own.
     */
    public static byte[] joined(Iterable<ByteBuffer> buffers, long length) {
        if (length < 0 || length > RetryPolicy.current().settings().maxReplayBytes()) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        int at = 0;
        for (ByteBuffer buffer : buffers) {
            ByteBuffer b = buffer.duplicate();
            int n = b.remaining();
            if (at + n > bytes.length) {
                return null;
            }
            b.get(bytes, at, n);
            at += n;
        }
        return at == bytes.length ? bytes : null;
    }

    /**
     * A copy to read a body into, up to {@code max-replay-bytes}; null when the body's declared length is past it
     * already, so that it is not read at all (a client's own way of reading a body, as the JDK client's publisher,
     * uses this too).
     *
     * @param length the body's length where the client knows it, else -1: the copy is made that size
     */
    public static SentBytes copyFor(long length) {
        int limit = RetryPolicy.current().settings().maxReplayBytes();
        if (length > limit) {
            return null;
        }
        SentBytes copy = new SentBytes(limit);
        copy.expect(length);
        return copy;
    }
}
