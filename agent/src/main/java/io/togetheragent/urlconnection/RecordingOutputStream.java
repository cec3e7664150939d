package io.togetheragent.urlconnection;

import io.togetheragent.core.SentBytes;
import java.io.IOException;
import java.io.OutputStream;

/** Passes the application's body to the JDK's stream and keeps a copy, up to a limit, to send it again. */
final class RecordingOutputStream extends OutputStream {
    private final OutputStream target;
    private final SentBytes copy;

    /** @param length the body's length where the application declared it (fixed-length streaming), else -1 */
    RecordingOutputStream(OutputStream target, int limit, long length) {
        this.target = target;
        this.copy = new SentBytes(limit);
        copy.expect(length);
    }

    OutputStream target() {
        return target;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
        copy.sent(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        copy.sent(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.close();
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
