package io.togetheragent.urlconnection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
