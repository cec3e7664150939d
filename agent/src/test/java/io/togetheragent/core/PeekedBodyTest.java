package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeekedBodyTest {
    /** A body that breaks off after its first bytes, as a connection closed mid-body does. */
    private static InputStream breakingAfter(String text, IOException failure) {
        return new InputStream() {
            private final InputStream bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                int b = bytes.read();
                if (b < 0) {
                    throw failure;
                }
                return b;
            }
        };
    }

    @Test
    void aBodyThatBrokeOffIsHandedOverWithTheSameBytesThenTheSameFailure() {
        IOException closed = new IOException("premature end");
        PeekedBody peeked = PeekedBody.read(breakingAfter("{\"error\":", closed), 1024);
        assertEquals("{\"error\":", peeked.text());
        InputStream replay = peeked.replay();
        byte[] buf = new byte[100];
        assertEquals(9, readOnce(replay, buf), "the bytes read");
        IOException again = assertThrows(IOException.class, () -> replay.read(buf, 0, 100));
        assertSame(closed, again);
    }

    private static int readOnce(InputStream in, byte[] buf) {
        try {
            return in.read(buf, 0, buf.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBodyLongerThanThePeekGoesOnFromTheStream() throws IOException {
        String body = "x".repeat(5000) + "end";
        PeekedBody peeked = PeekedBody.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 4096);
        assertEquals(4096, peeked.text().length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        peeked.writeTo(out);
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), out.toByteArray());
    }
}
