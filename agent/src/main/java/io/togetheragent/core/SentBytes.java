package io.togetheragent.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A copy of a request body as the client sends it, for clients whose body cannot be asked for the same bytes
 * again: kept up to a limit, and whole only once the client says it sent the end.
 */
public final class SentBytes {
    private final int limit;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private volatile boolean whole;
    private volatile boolean tooLong;

    public SentBytes(int limit) {
        this.limit = limit;
    }

    /** A part of the body as it goes out; read without moving the buffer's position. */
    public synchronized void sent(ByteBuffer part) {
        if (tooLong) {
            return;
        }
        ByteBuffer bytes = part.duplicate();
        if (copy.size() + bytes.remaining() > limit) {
            tooLong = true;
            copy.reset();
            return;
        }
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        copy.write(array, 0, array.length);
    }

    /** The client sent the whole request. */
    public void ended() {
        whole = true;
    }

    /**
     * The client did not say it sent the end, but every byte the request declared was handed out: the copy is
     * whole. For a request that failed only because its answer's connection broke (see {@code ResendingCall}).
     */
    public synchronized void endedIfAllOf(String contentLengthHeader) {
        long declared = declared(contentLengthHeader);
        if (declared >= 0 && copy.size() >= declared && !tooLong) {
            whole = true;
        }
    }

    /** Why the copy cannot be sent again, or null when it can. */
    public String whyNotReplayable() {
        if (tooLong) {
            return "its request body is longer than max-replay-bytes (" + limit + ") and was not kept";
        }
        return whole ? null : "its request body had not all been sent when the answer came";
    }

    /**
     * The copy, cut at the request's Content-Length when it has one (-1 when not): the bytes the server got. A
     * client may hand its listeners a buffer longer than the body (Jetty 12.0 does, for a body written to its
     * {@code OutputStreamRequestContent}: a 1 KiB buffer holding a 65-byte body) and send only the declared length.
     */
    public synchronized byte[] bytes(long contentLength) {
        byte[] bytes = copy.toByteArray();
        return contentLength >= 0 && contentLength < bytes.length ? java.util.Arrays.copyOf(bytes, (int) contentLength)
                : bytes;
    }

    /** As {@link #bytes(long)}, given the request's Content-Length header as sent: null or not a number for none. */
    public byte[] bytesAsDeclared(String contentLengthHeader) {
        return bytes(declared(contentLengthHeader));
    }

    private static long declared(String contentLengthHeader) {
        try {
            return contentLengthHeader == null ? -1 : Long.parseLong(contentLengthHeader.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }
}
