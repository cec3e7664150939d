package io.togetheragent.reactornetty.helper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.togetheragent.core.keys.KeyCheck;
import java.io.ByteArrayOutputStream;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientRequest;

/**
 * The first attempt's request as it goes out on the connection: its head, and a copy of its body up to
 * {@code max-replay-bytes}. A body publisher can be asked for its bytes again only if it replays, which nothing
 * says of an application's own; the copy is exactly what was sent, so retries send the copy. It is taken from the
 * messages written to the channel, the only place every way of sending a body passes (Spring's headers, too, are
 * set only while sending): bytes are copied, never retained, so no buffer's reference count changes.
 *
 * <p>Sharable: Reactor Netty's own resend of a request whose connection closed before it went out adds it to the
 * new connection's pipeline too.
 */
@ChannelHandler.Sharable
final class SentRequest extends ChannelOutboundHandlerAdapter {
    static final String HANDLER = "together-agent.sent-request";

    private final int limit;
    private volatile HttpHeaders headers;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile boolean complete;
    /** The head's Content-Length, or -1 (chunked). */
    private volatile long declared = -1;
    private long size;
    private volatile String notKept;

    SentRequest(int limit) {
        this.limit = limit;
    }

    /**
     * Watches what the attempt writes, from just before it writes anything. Reactor Netty removes the handler when
     * the connection goes back to its pool; Reactor Netty's own resend of a request whose connection closed before
     * it went out starts the copy again.
     */
    void watch(Connection connection) {
        synchronized (this) {
            headers = null;
            body = new ByteArrayOutputStream();
            complete = false;
            notKept = null;
            declared = -1;
            size = 0;
        }
        connection.removeHandler(HANDLER);
        connection.addHandlerLast(HANDLER, this);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        try {
            keep(msg);
        } catch (Throwable t) {
            notKept = "its request body could not be kept (" + t + ")";
        }
        ctx.write(msg, promise);
    }

    private synchronized void keep(Object msg) throws java.io.IOException {
        if (msg instanceof HttpRequest) {
            // The head's own headers, not a copy: nothing changes them once the head is written, and a retry copies
            // them into its own request (replay).
            headers = ((HttpRequest) msg).headers();
            String length = headers.get("content-length");
            declared = length == null ? -1 : Long.parseLong(length.trim());
        }
        ByteBuf content = msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content()
                : msg instanceof ByteBuf ? (ByteBuf) msg : null;
        if (content != null) {
            keep(content);
        } else if (!(msg instanceof HttpRequest)) {
            notKept = "its request body was sent as " + msg.getClass().getName() + ", which cannot be kept";
        }
        // With a Content-Length, the server may answer as soon as the last byte came, before the (empty) end of
        // the request is written: the body is whole when its length is reached.
        if (msg instanceof LastHttpContent || declared >= 0 && size >= declared) {
            complete = true;
        }
    }

    private void keep(ByteBuf content) throws java.io.IOException {
        int n = content.readableBytes();
        size += n;
        if (notKept != null || n == 0) {
            return;
        }
        if (body.size() + n > limit) {
            notKept = "its request body was longer than max-replay-bytes (" + limit + ") and so was not kept";
            body = new ByteArrayOutputStream();
            return;
        }
        content.getBytes(content.readerIndex(), body, n);
    }

    /** Why the request cannot be sent again, or null when the copy is all of it. */
    String whyNotReplayable() {
        String why = notKept;
        return why != null ? why : !complete ? "its request body had not all been sent when the answer came" : null;
    }

    /** The Authorization header as sent, null when none was, {@link KeyCheck#NOT_SEEN} when nothing was sent. */
    String authorization() {
        HttpHeaders sent = headers;
        return sent == null ? KeyCheck.NOT_SEEN : sent.get("authorization");
    }

    /** A header as sent, or null. */
    String header(String name) {
        HttpHeaders sent = headers;
        return sent == null ? null : sent.get(name);
    }

    /** The body as sent, or null when it was not all kept. */
    synchronized byte[] bytes() {
        return whyNotReplayable() == null ? body.toByteArray() : null;
    }

    /** Sends the request again: the same headers (Reactor Netty frames the body anew) and the same bytes. */
    Publisher<Void> replay(HttpClientRequest request, NettyOutbound out) {
        request.requestHeaders().set(headers);
        byte[] bytes = bytes();
        return bytes == null || bytes.length == 0 ? out : out.sendByteArray(Mono.just(bytes));
    }
}
