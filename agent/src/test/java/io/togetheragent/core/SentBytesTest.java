package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SentBytesTest {
    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsWhatWasSentWithoutMovingTheClientsBuffers() {
        SentBytes sent = new SentBytes(100);
        ByteBuffer part = bytes("{\"model\":");
        sent.sent(part);
        sent.sent(bytes("\"m\"}"));
        sent.ended();
        assertEquals(0, part.position());
        assertNull(sent.whyNotReplayable());
        assertArrayEquals("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), sent.bytes(-1));
    }

    @Test
    void aBodyNotAllSentOrLongerThanTheLimitCannotBeSentAgain() {
        SentBytes partly = new SentBytes(100);
        partly.sent(bytes("{\"mod"));
        assertTrue(partly.whyNotReplayable().contains("had not all been sent"), partly.whyNotReplayable());
        SentBytes tooLong = new SentBytes(8);
        tooLong.sent(bytes("{\"model\":\"m\"}"));
        tooLong.ended();
        assertTrue(tooLong.whyNotReplayable().contains("longer than max-replay-bytes (8)"), tooLong.whyNotReplayable());
    }

    /** Regression: Jetty 12.0 handed its listeners a 1 KiB buffer for a 65-byte body; the server got 65 bytes. */
    @Test
    void isCutAtTheDeclaredContentLength() {
        SentBytes sent = new SentBytes(4096);
        ByteBuffer padded = ByteBuffer.allocate(1024);
        padded.put("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).rewind();
        sent.sent(padded);
        sent.ended();
        assertEquals("{\"a\":1}", new String(sent.bytes(7), StandardCharsets.UTF_8));
        assertEquals(1024, sent.bytes(-1).length);
        assertEquals("{\"a\":1}", new String(sent.bytesAsDeclared(" 7 "), StandardCharsets.UTF_8));
        // No header, or one that is not a number: treated as absent, the whole copy.
        assertEquals(1024, sent.bytesAsDeclared(null).length);
        assertEquals(1024, sent.bytesAsDeclared("seven").length);
    }

    /** Made for every Together request: a body of a declared length is copied once, and handed back as it is. */
    @Test
    void aBodyOfADeclaredLengthIsCopiedOnceIntoOneArray() {
        byte[] body = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        SentBytes sent = new SentBytes(100);
        sent.expect(body.length);
        sent.sent(body, 0, 5);
        // As Reactor Netty's adapter hands over a buffer of its own kind, which copies itself.
        sent.sent(ByteBuffer.wrap(body, 5, body.length - 5), body.length - 5,
                (part, into, at, length) -> part.duplicate().get(into, at, length));
        sent.ended();
        assertArrayEquals(body, sent.bytes(-1));
        assertSame(sent.bytes(-1), sent.bytes(body.length), "the copy itself, not a copy of it");
    }

    @Test
    void piecesOfAnUnknownTotalAreAllKept() {
        SentBytes sent = new SentBytes(10_000);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String piece = "piece " + i + ";";
            all.append(piece);
            sent.sent(bytes(piece));
        }
        sent.ended();
        assertEquals(all.toString(), new String(sent.bytes(-1), StandardCharsets.UTF_8));
        sent.sent(new byte[10_000], 0, 10_000);
        assertTrue(sent.tooLong(), "past the limit");
        assertEquals(0, sent.bytes(-1).length);
    }
}
