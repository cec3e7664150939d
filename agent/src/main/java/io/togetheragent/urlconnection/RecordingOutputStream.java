package io.togetheragent.urlconnection;

import io.togetheragent.core.SentBytes;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes the application's body to the JDK's stream and keeps a copy, up to a limit, to send it again.
 *
 * <p>A streamed body (a streaming mode) may be held first: the JDK sends a streamed request's headers as soon as its
 * stream is opened, before the body names its model, and so the lane whose turn the request must wait. Held, the
 * body is only copied until it is whole — its declared length reached, or the application closes it or asks for
 * the response — and then the JDK's stream is opened, in the request's turn, and given the copy. A body longer
 * than the copy may hold, or than it declared, goes at that point and passes straight through from then on.
 */
final class RecordingOutputStream extends OutputStream {
    /** Opens the JDK's stream for a held body: the request's headers go then. */
    interface Opener {
        OutputStream open() throws IOException;
    }

    private final SentBytes copy;
    private final int limit;
    private final long length;
    /** Null for a body that is passed straight through. */
    private final Opener opener;
    /** The JDK's stream: null while the body is held. */
    private OutputStream target;

    /** @param length the body's length where the application declared it (fixed-length streaming), else -1 */
    RecordingOutputStream(OutputStream target, int limit, long length) {
        this(target, limit, length, null);
    }

    /** A body held until it is whole, then sent through the stream {@code opener} opens. */
    RecordingOutputStream(int limit, long length, Opener opener) {
        this(null, limit, length, opener);
    }

    private RecordingOutputStream(OutputStream target, int limit, long length, Opener opener) {
        this.target = target;
        this.limit = limit;
        this.length = length;
        this.opener = opener;
        this.copy = new SentBytes(limit);
        copy.expect(length);
    }

    OutputStream target() {
        return target;
    }

    boolean holds() {
        return opener != null;
    }

    @Override
    public void write(int b) throws IOException {
        if (target == null) {
            if (fits(1)) {
                copy.sent(b);
                sendIfWhole();
                return;
            }
            send();
        }
        target.write(b);
        copy.sent(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (target == null) {
            if (fits(len)) {
                copy.sent(b, off, len);
                sendIfWhole();
                return;
            }
            send();
        }
        target.write(b, off, len);
        copy.sent(b, off, len);
    }

    /** Held, there is nothing to push yet: the body goes whole, in its turn. */
    @Override
    public void flush() throws IOException {
        if (target != null) {
            target.flush();
        }
    }

    @Override
    public void close() throws IOException {
        send();
        target.close();
    }

    /** Opens the JDK's stream for a held body and writes what was held; nothing when it is open already. */
    void send() throws IOException {
        if (target == null) {
            OutputStream opened = opener.open();
            opened.write(copy.bytes(-1), 0, copy.size());
            target = opened;
        }
    }

    /** Whether {@code n} more bytes may be held: within what the copy keeps and the length declared. */
    private boolean fits(int n) {
        long after = (long) copy.size() + n;
        return after <= limit && (length < 0 || after <= length);
    }

    private void sendIfWhole() throws IOException {
        if (length >= 0 && copy.size() == length) {
            send();
        }
    }

    /** Whether every byte written was kept: none was past the limit. */
    boolean kept() {
        return !copy.tooLong();
    }

    /** Every byte written (the copy itself: only read), or null when there were more than the limit. */
    byte[] recorded() {
        return copy.tooLong() ? null : copy.bytes(-1);
    }
}
