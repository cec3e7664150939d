package io.togetheragent.reactornetty.helper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.togetheragent.core.SentBytes;
import io.togetheragent.core.keys.KeyCheck;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientRequest;

/**
 * The first attempt's request as it goes out on the connection: its head, and a copy of its body up to
 * {@code max-replay-bytes}. A body publisher can be asked for its bytes again only if it replays, which nothing
 * says of an application's own; the copy is exactly what was sent, so retries send the copy. It is taken from the
 * messages written to the channel (by the connection's {@link RequestTap}), the only place every way of sending a
 * body passes (Spring's headers, too, are set only while sending): bytes are copied, never retained, so no
 * buffer's reference count changes.
 */
final class SentRequest {
    private final int limit;
    private volatile HttpHeaders headers;
    private volatile SentBytes body;
    private volatile String notKept;
    /** The head asks the server whether to send the body: the body follows only its answer. */
    private volatile boolean continueExpected;

    SentRequest(int limit) {
        this.limit = limit;
    }

    /** The request goes out (again: Reactor Netty resends one whose connection closed before it went out). */
    synchronized void restart() {
        headers = null;
        body = new SentBytes(limit);
        notKept = null;
        continueExpected = false;
    }

    /** The request goes out where its copy cannot be taken: it is not sent again, and the log says why. */
    void unwatched(String why) {
        notKept = "its request was not copied as it went out (" + why + ")";
    }

    /** Keeps what the message holds of the request; true when it was the request's last. */
    boolean keep(Object msg) {
        try {
            return keepOrThrow(msg);
        } catch (Throwable t) {
            notKept = "its request body could not be kept (" + t + ")";
            return msg instanceof LastHttpContent;
        }
    }

    private synchronized boolean keepOrThrow(Object msg) {
        SentBytes copy = body;
        if (msg instanceof HttpRequest) {
            // The head's own headers, not a copy: nothing changes them once the head is written, and a retry copies
            // them into its own request (replay).
            headers = ((HttpRequest) msg).headers();
            // The head's Content-Length, or -1 (chunked).
            copy.expect(SentBytes.declared(headers.get("content-length")));
            continueExpected = headers.containsValue("expect", "100-continue", true);
        }
        ByteBuf content = msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content()
                : msg instanceof ByteBuf ? (ByteBuf) msg : null;
        if (content != null) {
            copy.sent(content, content.readableBytes(), SentRequest::copyInto);
        } else if (!(msg instanceof HttpRequest)) {
            notKept = "its request body was sent as " + msg.getClass().getName() + ", which cannot be kept";
        }
        if (msg instanceof LastHttpContent) {
            copy.ended();
            return true;
        }
        // With a Content-Length, the server may answer as soon as the last byte came, before the (empty) end of
        // the request is written: the body is whole when its length is reached.
        copy.endedIfAllExpected();
        return false;
    }

    /**
     * Whether the request is known as far as it will be before it goes: written to its end, not kept (too long, or
     * in a form the copy cannot take), or its body waiting for the server's 100 Continue.
     */
    boolean settled() {
        SentBytes copy = body;
        return notKept != null || continueExpected || copy == null || copy.tooLong() || copy.whyNotReplayable() == null;
    }

    /** Bytes are copied, never retained: the buffer's reference count and reader index stay as they were. */
    private static void copyInto(ByteBuf content, byte[] into, int at, int length) {
        content.getBytes(content.readerIndex(), into, at, length);
    }

    /** Why the request cannot be sent again, or null when the copy is all of it. */
    String whyNotReplayable() {
        String why = notKept;
        SentBytes copy = body;
        return why != null ? why : copy == null ? "its request was not seen as it went out" : copy.whyNotReplayable();
    }

    /** The Authorization header as sent, null when none was, {@link KeyCheck#NOT_SEEN} when nothing was sent. */
    String authorization() {
        HttpHeaders sent = headers;
        return sent == null ? KeyCheck.NOT_SEEN : sent.get("authorization");
    }

    /** Sets the Authorization of the head, still held (see {@link RequestTap}): it goes, and is copied, with it. */
    void authorize(String authorization) {
        HttpHeaders head = headers;
        if (head != null) {
            head.set("authorization", authorization);
        }
    }

    /** A header as sent, or null. */
    String header(String name) {
        HttpHeaders sent = headers;
        return sent == null ? null : sent.get(name);
    }

    /** The body as sent, or null when it was not all kept. */
    byte[] bytes() {
        SentBytes copy = body;
        return whyNotReplayable() == null ? copy.bytes(-1) : null;
    }

    /** Sends the request again: the same headers (Reactor Netty frames the body anew) and the same bytes. */
    Publisher<Void> replay(HttpClientRequest request, NettyOutbound out) {
        request.requestHeaders().set(headers);
        byte[] bytes = bytes();
        return bytes == null || bytes.length == 0 ? out : out.sendByteArray(Mono.just(bytes));
    }
}
