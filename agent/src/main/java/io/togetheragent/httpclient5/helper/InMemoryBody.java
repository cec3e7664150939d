package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.retry.RetryPolicy;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;

/**
 * A body HttpCore holds in memory ({@code BasicAsyncEntityProducer}: {@code AsyncRequestBuilder}'s strings and
 * bytes), copied for the call's model and identity: produced once into a copy before the call is sent, then
 * rewound with {@code releaseResources()}, as the client itself rewinds it to send it again.
 */
final class InMemoryBody {
    private InMemoryBody() {}

    /**
     * The body's bytes; null where it is not such a body (by exact class: a subclass may produce otherwise), is
     * longer than {@code max-replay-bytes}, or did not end in one production.
     */
    static byte[] bytes(EntityDetails body) {
        if (body == null || body.getClass() != BasicAsyncEntityProducer.class
                || body.getContentLength() > RetryPolicy.current().settings().maxReplayBytes()) {
            return null;
        }
        BasicAsyncEntityProducer producer = (BasicAsyncEntityProducer) body;
        // Its length is its array's: one copy, of that length, is all this makes.
        byte[] copy = new byte[(int) Math.max(0, body.getContentLength())];
        int[] copied = {0};
        boolean[] ended = {false};
        try {
            producer.produce(new DataStreamChannel() {
                @Override
                public int write(ByteBuffer src) {
                    int n = Math.min(src.remaining(), copy.length - copied[0]);
                    src.get(copy, copied[0], n);
                    copied[0] += n;
                    return n;
                }

                @Override
                public void endStream() {
                    ended[0] = true;
                }

                @Override
                public void endStream(List<? extends Header> trailers) {
                    ended[0] = true;
                }

                @Override
                public void requestOutput() {
                    // It writes all it holds in one production.
                }
            });
        } catch (Exception unproducible) {
            return null;
        } finally {
            producer.releaseResources();
        }
        return ended[0] && copied[0] == copy.length ? copy : null;
    }
}
