package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;

/**
 * The body of a request from Spring's WebClient on HttpClient 5 ({@code HttpComponentsClientHttpConnector}): a
 * {@code ReactiveEntityProducer} over the body's publisher, which can be produced only once, so such a call could not
 * be retried. In mode {@code retry} the agent produces it itself where the application executes the call, before
 * its first turn, for as long as the producer has bytes at hand: Spring's encoders give a body value's bytes at once,
 * so it is read whole, and the call sends a copy that can be sent again, with the same content type and framing, in
 * its model's lane. What a publisher gives only later is not waited for: the bytes read so far go first, then the
 * rest as the application's producer gives it, its end or failure unchanged, and that call is not retried.
 */
final class ReactiveBody implements DataStreamChannel {
    private static final String PRODUCER = "org.apache.hc.core5.reactive.ReactiveEntityProducer";
    private static final ContentType INVALID = ContentType.create("invalid/invalid");

    private final AsyncEntityProducer application;
    private final long maxBytes;
    private final List<ByteBuffer> copies = new ArrayList<>();
    private long length;
    private boolean ended;
    /** What the application's producer threw while the agent produced it, thrown again where the client produces. */
    private Exception failure;
    /** Asked by the producer while the agent reads (its publisher gave more, perhaps on another thread). */
    private volatile boolean moreAsked;
    /** The client's channel, once the rest of the body is left to the application's producer. */
    private volatile DataStreamChannel client;

    private ReactiveBody(AsyncEntityProducer application, long maxBytes) {
        this.application = application;
        this.maxBytes = maxBytes;
    }

    /** Whether the body is Spring's reactive producer, by name (an application's own producer may block there). */
    static boolean isReactive(EntityDetails body) {
        return body instanceof AsyncEntityProducer && body.getClass().getName().equals(PRODUCER);
    }

    /**
     * Whether this reads a reactive body (asked only of a Together call's): not re-encoded (a copy would drop its
     * Content-Encoding), its content type readable, and not declared longer than {@code max-replay-bytes}.
     */
    static boolean reads(EntityDetails body) {
        try {
            return body.getContentEncoding() == null && body.getContentLength() <= maxBytes()
                    && contentType(body) != INVALID;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * Reads the body and returns the producer the call sends from then on: a copy, which can be sent again, when
     * the body was read whole (it then names the call's model and identifies the call); else the bytes read and then
     * the application's producer, and the call is not retried. Call only where {@link CallRetry#resends()}.
     */
    static AsyncRequestProducer readAhead(HttpRequest head, AsyncEntityProducer body, CallRetry retry) {
        ReactiveBody read = new ReactiveBody(body, maxBytes());
        read.read();
        byte[] whole = read.whole();
        if (whole == null) {
            retry.cannotReplay("its request body was not all at hand when the call was sent ("
                    + body.getClass().getName() + ")");
            return new BasicRequestProducer(head, read.rest());
        }
        retry.identify(name -> Requests.header(head, name), () -> whole);
        return new BasicRequestProducer(head, new BasicAsyncEntityProducer(whole, contentType(body),
                body.isChunked() || body.getContentLength() < 0));
    }

    /** Produces the body on this thread while its producer has bytes at hand, and never waits for more. */
    private void read() {
        try {
            long before;
            do {
                before = length;
                moreAsked = false;
                application.produce(this);
            } while (moreAsked && !ended && length <= maxBytes && length > before);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** The body's bytes, if it was read to its end, as long as it declared, within max-replay-bytes; else null. */
    private byte[] whole() {
        long declared = application.getContentLength();
        if (!ended || failure != null || length > maxBytes || (declared >= 0 && declared != length)) {
            return null;
        }
        return RequestBodies.joined(copies, length);
    }

    // The channel the application's producer writes to while the agent reads it.

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(src).flip();
        copies.add(copy);
        length += n;
        return n;
    }

    @Override
    public void endStream() {
        ended = true;
    }

    @Override
    public void endStream(List<? extends Header> trailers) {
        ended = true;
    }

    @Override
    public void requestOutput() {
        DataStreamChannel to = client;
        if (to != null) {
            to.requestOutput();
        } else {
            moreAsked = true;
        }
    }

    /**
     * The body as the client sends it where it was not read whole: the copies first, then the application's
     * producer, which keeps the agent's channel as its own (it asks for output there: passed on to the client's).
     */
    private AsyncEntityProducer rest() {
        return new AsyncEntityProducer() {
            private int next;

            @Override
            public void produce(DataStreamChannel channel) throws IOException {
                client = channel;
                for (; next < copies.size(); next++) {
                    ByteBuffer copy = copies.get(next);
                    channel.write(copy);
                    if (copy.hasRemaining()) {
                        return;
                    }
                }
                if (failure instanceof IOException) {
                    throw (IOException) failure;
                } else if (failure != null) {
                    throw (RuntimeException) failure;
                } else if (ended) {
                    channel.endStream();
                } else {
                    application.produce(channel);
                }
            }

            @Override
            public int available() {
                for (int i = next; i < copies.size(); i++) {
                    if (copies.get(i).hasRemaining()) {
                        return copies.get(i).remaining();
                    }
                }
                return ended || failure != null ? 0 : application.available();
            }

            @Override
            public boolean isRepeatable() {
                return false;
            }

            @Override
            public void failed(Exception cause) {
                application.failed(cause);
            }

            @Override
            public void releaseResources() {
                application.releaseResources();
            }

            @Override
            public long getContentLength() {
                return application.getContentLength();
            }

            @Override
            public String getContentType() {
                return application.getContentType();
            }

            @Override
            public String getContentEncoding() {
                return application.getContentEncoding();
            }

            @Override
            public boolean isChunked() {
                return application.isChunked();
            }

            @Override
            public Set<String> getTrailerNames() {
                return application.getTrailerNames();
            }
        };
    }

    /** The producer's content type, null where it has none, {@link #INVALID} where HttpCore cannot parse it. */
    private static ContentType contentType(EntityDetails body) {
        String type = body.getContentType();
        try {
            return type == null ? null : ContentType.parse(type);
        } catch (RuntimeException unparsable) {
            return INVALID;
        }
    }

    private static long maxBytes() {
        return RetryPolicy.current().settings().maxReplayBytes();
    }
}
