package io.togetheragent.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A copy of a request body as the client sends it, for clients whose body cannot be asked for the same bytes
 * again: kept up to a limit, and whole only once the client says it sent the end.
 *
 * <p>The copy is one array, made when the first bytes come: of the request's declared length when the adapter
 * knows it ({@link #expect}), so that a body written in one piece is copied once and handed back as it is: one is
 * made for every Together request. It grows, doubling, only where a body comes in pieces of unknown total.
 */
public final class SentBytes {
    private static final byte[] NONE = new byte[0];

    private final int limit;
    private byte[] copy = NONE;
    private int size;
    private long expected = -1;
    private volatile boolean whole;
    private volatile boolean tooLong;

    public SentBytes(int limit) {
        this.limit = limit;
    }

    /** The body's length as the request declares it, before any of it is sent: the copy is made that size. */
    public synchronized void expect(long length) {
        expected = length;
    }

    /** A part of the body as it goes out; read without moving the buffer's position. */
    public synchronized void sent(ByteBuffer part) {
        int n = part.remaining();
        byte[] into = reserve(n);
        if (into != null) {
            part.duplicate().get(into, size, n);
            size += n;
        }
    }

    /** A part of the body as it goes out, from an array. */
    public synchronized void sent(byte[] part, int offset, int length) {
        byte[] into = reserve(length);
        if (into != null) {
            System.arraycopy(part, offset, into, size, length);
            size += length;
        }
    }

    /** One byte of the body as it goes out. */
    public synchronized void sent(int b) {
        byte[] into = reserve(1);
        if (into != null) {
            into[size++] = (byte) b;
        }
    }

    /**
     * A part of the body as it goes out, from a buffer of the client's own kind, which copies itself: a
     * non-capturing {@code copier} allocates nothing per part.
     */
    public synchronized <T> void sent(T part, int length, Copier<? super T> copier) {
        byte[] into = reserve(length);
        if (into != null) {
            copier.copy(part, into, size, length);
            size += length;
        }
    }

    /** Copies {@code length} bytes of a client's buffer, from its read position, without moving it. */
    public interface Copier<T> {
        void copy(T part, byte[] into, int at, int length);
    }

    /** The array to copy the next {@code length} bytes into, at {@link #size}; null when past the limit. */
    private byte[] reserve(int length) {
        if (tooLong) {
            return null;
        }
        if ((long) size + length > limit) {
            tooLong = true;
            copy = NONE;
            size = 0;
            return null;
        }
        if (size + length > copy.length) {
            int wanted = size + length;
            int grown = expected >= wanted && expected <= limit ? (int) expected
                    : (int) Math.min(limit, Math.max(wanted, 2L * copy.length));
            copy = Arrays.copyOf(copy, grown);
        }
        return copy;
    }

    /** The bytes kept so far. */
    public synchronized int size() {
        return size;
    }

    /** The client sent the whole request. */
    public void ended() {
        whole = true;
    }

    /** Whether the body passed the limit, and so was not kept. */
    public boolean tooLong() {
        return tooLong;
    }

    /**
     * The client did not say it sent the end, but every byte the request declared was handed out: the copy is
     * whole. For a request that failed only because its answer's connection broke (see {@code ResendingCall}).
     */
    public void endedIfAllOf(String contentLengthHeader) {
        endedIfAllOf(declared(contentLengthHeader));
    }

    /** As {@link #endedIfAllOf(String)}, for the length given to {@link #expect}. */
    public synchronized void endedIfAllExpected() {
        endedIfAllOf(expected);
    }

    private synchronized void endedIfAllOf(long declared) {
        if (declared >= 0 && size >= declared && !tooLong) {
            whole = true;
        }
    }

    /** Why the copy cannot be sent again, or null when it can. */
    public String whyNotReplayable() {
        if (tooLong) {
            return tooLong(limit);
        }
        return whole ? null : "its request body had not all been sent when the answer came";
    }

    /** Why a body longer than max-replay-bytes is not sent again. */
    public static String tooLong(int limit) {
        return "its request body is longer than max-replay-bytes (" + limit + ") and was not kept";
    }

    /**
     * The copy, cut at the request's Content-Length when it has one (-1 when not): the bytes the server got. A
     * client may hand its listeners a buffer longer than the body (Jetty 12.0 does, for a body written to its
     * {@code OutputStreamRequestContent}: a 1 KiB buffer holding a 65-byte body) and send only the declared length.
     * The array may be the copy itself: callers only read it.
     */
    public synchronized byte[] bytes(long contentLength) {
        int length = contentLength >= 0 && contentLength < size ? (int) contentLength : size;
        return length == copy.length ? copy : Arrays.copyOf(copy, length);
    }

    /** As {@link #bytes(long)}, given the request's Content-Length header as sent: null or not a number for none. */
    public byte[] bytesAsDeclared(String contentLengthHeader) {
        return bytes(declared(contentLengthHeader));
    }

    /** A Content-Length header's value, or -1 for none or one that is not a number. */
    public static long declared(String contentLengthHeader) {
        try {
            return contentLengthHeader == null ? -1 : Long.parseLong(contentLengthHeader.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }
}
