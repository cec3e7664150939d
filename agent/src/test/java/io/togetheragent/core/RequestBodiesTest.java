package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.Setting;
import io.togetheragent.core.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
    private static final byte[] BODY = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void defaults() {
        RetryPolicy.install(new RetryPolicy(Settings.defaults()));
    }

    @Test
    void writesTheBodyOnceMoreInPiecesOrByteByByte() {
        RequestBodies.Writer pieces = out -> {
            out.write(BODY[0]);
            out.write(BODY, 1, 9);
            out.write(BODY, 10, BODY.length - 10);
        };
        assertArrayEquals(BODY, RequestBodies.bytes(pieces, BODY.length));
        assertArrayEquals(BODY, RequestBodies.bytes(pieces, -1));
        assertEquals(0, RequestBodies.bytes(null, 0).length);
    }

    /** Read for the model of every call: a file upload must not be read into memory for it, each time. */
    @Test
    void aBodyLongerThanMaxReplayBytesIsNotRead() {
        RetryPolicy.change(Setting.MAX_REPLAY_BYTES, "16");
        AtomicInteger written = new AtomicInteger();
        RequestBodies.Writer body = out -> {
            written.incrementAndGet();
            out.write(BODY);
        };
        assertNull(RequestBodies.bytes(body, BODY.length));
        assertEquals(0, written.get(), "its declared length was enough to tell");
        assertNull(RequestBodies.bytes(body, -1));
    }

    /** The JDK client's publishers are read through the same copy: one declaring more is not subscribed to. */
    @Test
    void aCopyIsMadeOnlyForABodyDeclaredWithinMaxReplayBytes() {
        RetryPolicy.change(Setting.MAX_REPLAY_BYTES, "16");
        assertNull(RequestBodies.copyFor(17));
        SentBytes sized = RequestBodies.copyFor(16);
        sized.sent(BODY, 0, 16);
        sized.ended();
        assertEquals(16, sized.bytes(-1).length);
        SentBytes unknown = RequestBodies.copyFor(-1);
        unknown.sent(BODY, 0, BODY.length);
        assertTrue(unknown.tooLong(), "an unknown length is bounded as it comes");
    }

    @Test
    void aBodyThatCannotBeWrittenAgainHasNoBytes() {
        assertNull(RequestBodies.bytes(out -> {
            throw new IOException("stream already read");
        }, -1));
    }

    /** Jetty's bodies in memory: joined without moving their buffers, which Jetty then sends. */
    @Test
    void buffersInMemoryAreJoinedAndLeftAsTheyWere() {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(BODY, 0, 10);
        java.nio.ByteBuffer rest = java.nio.ByteBuffer.wrap(BODY, 10, BODY.length - 10).slice();
        java.util.List<java.nio.ByteBuffer> buffers = java.util.Arrays.asList(head, rest);
        assertArrayEquals(BODY, RequestBodies.joined(buffers, BODY.length));
        assertEquals(0, head.position());
        assertEquals(10, head.remaining());
        assertEquals(BODY.length - 10, rest.remaining());
        // Declared otherwise than the buffers hold, or unknown: not known.
        assertNull(RequestBodies.joined(buffers, BODY.length - 1));
        assertNull(RequestBodies.joined(buffers, BODY.length + 1));
        assertNull(RequestBodies.joined(buffers, -1));
        RetryPolicy.change(Setting.MAX_REPLAY_BYTES, "16");
        assertNull(RequestBodies.joined(buffers, BODY.length));
    }
}
