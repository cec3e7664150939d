package io.togetheragent.urlconnection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordingOutputStreamTest {
    private static final byte[] BODY = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void keepsWhatIsWrittenByteByByteAndInPiecesAndPassesItOn() throws Exception {
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        RecordingOutputStream out = new RecordingOutputStream(jdk, 100, -1);
        for (int i = 0; i < 5; i++) {
            out.write(BODY[i]);
        }
        out.write(BODY, 5, 10);
        out.write(BODY, 15, BODY.length - 15);
        assertArrayEquals(BODY, jdk.toByteArray());
        assertArrayEquals(BODY, out.recorded());
        assertTrue(out.kept());
    }

    @Test
    void aFixedLengthBodyIsKeptAndOneLongerThanTheLimitIsNot() throws Exception {
        RecordingOutputStream fixed = new RecordingOutputStream(new ByteArrayOutputStream(), 100, BODY.length);
        fixed.write(BODY);
        assertArrayEquals(BODY, fixed.recorded());
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        RecordingOutputStream tooLong = new RecordingOutputStream(jdk, 8, -1);
        tooLong.write(BODY);
        assertFalse(tooLong.kept());
        assertNull(tooLong.recorded());
        assertArrayEquals(BODY, jdk.toByteArray(), "the JDK's stream gets it all the same");
    }

    /** A held body's JDK stream, counting how often it was opened. */
    private static final class Jdk implements RecordingOutputStream.Opener {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int opened;

        @Override
        public java.io.OutputStream open() {
            opened++;
            return stream;
        }
    }

    @Test
    void aHeldFixedLengthBodyGoesOnceWholeAndNotBefore() throws Exception {
        Jdk jdk = new Jdk();
        RecordingOutputStream held = new RecordingOutputStream(100, BODY.length, jdk);
        held.write(BODY, 0, 10);
        held.flush();
        held.write(BODY[10]);
        assertEquals(0, jdk.opened, "held until whole, a flush too");
        held.write(BODY, 11, BODY.length - 11);
        assertEquals(1, jdk.opened);
        assertArrayEquals(BODY, jdk.stream.toByteArray());
        held.close();
        assertEquals(1, jdk.opened);
        assertArrayEquals(BODY, held.recorded());
    }

    @Test
    void aHeldBodyOfUnknownLengthGoesWhenClosedOrSent() throws Exception {
        Jdk closed = new Jdk();
        RecordingOutputStream chunked = new RecordingOutputStream(100, -1, closed);
        chunked.write(BODY);
        assertEquals(0, closed.opened);
        chunked.close();
        assertArrayEquals(BODY, closed.stream.toByteArray());

        Jdk asked = new Jdk();
        RecordingOutputStream unclosed = new RecordingOutputStream(100, -1, asked);
        unclosed.write(BODY);
        unclosed.send();
        unclosed.send();
        assertEquals(1, asked.opened);
        assertArrayEquals(BODY, asked.stream.toByteArray());
    }

    @Test
    void aHeldBodyLongerThanTheLimitGoesAsItOutgrowsItAndPassesThrough() throws Exception {
        Jdk jdk = new Jdk();
        RecordingOutputStream held = new RecordingOutputStream(8, -1, jdk);
        held.write(BODY, 0, 8);
        assertEquals(0, jdk.opened);
        held.write(BODY, 8, BODY.length - 8);
        assertEquals(1, jdk.opened);
        assertArrayEquals(BODY, jdk.stream.toByteArray());
        assertFalse(held.kept());
    }

    @Test
    void aHeldBodyLongerThanDeclaredGoesToTheJdksStreamToFailThere() throws Exception {
        Jdk jdk = new Jdk();
        RecordingOutputStream held = new RecordingOutputStream(100, 4, jdk);
        held.write(BODY, 0, 3);
        held.write(BODY, 3, 2);
        assertEquals(1, jdk.opened);
        assertArrayEquals(java.util.Arrays.copyOf(BODY, 5), jdk.stream.toByteArray(), "all written, as the JDK got it");
    }
}
