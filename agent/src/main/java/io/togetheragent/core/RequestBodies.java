package io.togetheragent.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A replayable request body written once more into memory, to recognise a call a layer above sends again. */
public final class RequestBodies {
    /** How a client's body writes itself: {@code entity::writeTo}, {@code body::writeTo}. */
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private RequestBodies() {}

    /** The bytes the body writes (empty for no body), or null when it cannot be written again. */
    public static byte[] bytes(Writer body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            body.writeTo(out);
            return out.toByteArray();
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
