package io.togetheragent.urlconnection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes the application's body to the JDK's stream and keeps a copy, up to a limit, to send it again. */
final class RecordingOutputStream extends OutputStream {
    private final OutputStream target;
    private final int limit;
    private ByteArrayOutputStream copy = new ByteArrayOutputStream();

    RecordingOutputStream(OutputStream target, int limit) {
        this.target = target;
        this.limit = limit;
    }

    OutputStream target() {
        return target;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
        keep(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        keep(b, off, len);
    }

    private void keep(byte[] b, int off, int len) {
        if (copy != null && copy.size() + len <= limit) {
            copy.write(b, off, len);
        } else {
            copy = null;
        }
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.close();
    }

    /** Every byte written, or null when there were more than the limit. */
    byte[] recorded() {
        return copy == null ? null : copy.toByteArray();
    }
}
