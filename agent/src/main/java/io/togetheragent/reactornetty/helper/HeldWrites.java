package io.togetheragent.reactornetty.helper;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.Future;

/**
 * A first attempt's writes, held on its connection until the call's turn, in the order they came (what Netty's
 * {@code PendingWriteQueue} does, without counting them against the channel's writability: Reactor Netty would
 * then stop writing a body longer than the high-water mark before the agent had all of it). The request's last
 * write completes when it really goes, so Reactor Netty counts the request as sent, and starts its
 * {@code responseTimeout}, only then. Touched on the channel's event loop only; the call releases or drops it
 * from any thread.
 */
final class HeldWrites {
    private final ChannelHandlerContext ctx;
    private final RequestTap tap;
    private final ArrayDeque<Object> writes = new ArrayDeque<>(4);
    /** The timer that asks for the turn of a request whose end has not come in time; null when none is set. */
    private Future<?> timer;

    HeldWrites(ChannelHandlerContext ctx, RequestTap tap) {
        this.ctx = ctx;
        this.tap = tap;
    }

    /**
     * Holds a write. Reactor Netty writes a body only once its head's write succeeded, and a long body's next pieces
     * only as the last ones' did: such a write is reported done as it is held, so the rest of the request comes,
     * and goes later with a promise of the agent's; the request's last write keeps its own, done as it really goes.
     */
    void add(Object msg, ChannelPromise promise) {
        writes.add(msg);
        if (msg instanceof LastHttpContent) {
            writes.add(promise);
        } else {
            writes.add(ctx.newPromise());
            if (!promise.isVoid()) {
                promise.trySuccess();
            }
        }
    }

    boolean timed() {
        return timer != null;
    }

    void until(Future<?> timer) {
        this.timer = timer;
    }

    /** The turn is asked for: the timer that would have asked it is not needed. */
    void asked() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The call's turn came: the writes go, now if on the event loop, else as soon as it runs them. */
    void release() {
        if (ctx.executor().inEventLoop()) {
            writeAll();
        } else {
            ctx.executor().execute(this::writeAll);
        }
    }

    /**
     * The call sends this request later from its copy, on another connection: nothing of it went out here, and this
     * connection, mid-request for Reactor Netty, is closed rather than given back to the pool (the tap lets the
     * writes go as it closes).
     */
    void drop() {
        ctx.channel().close();
    }

    private void writeAll() {
        tap.released(this);
        if (writes.isEmpty()) {
            // Let go already: the channel closed.
            return;
        }
        while (!writes.isEmpty()) {
            ctx.write(writes.poll(), (ChannelPromise) writes.poll());
        }
        ctx.flush();
    }

    /** The channel closed: what was held is let go, and its writers told, as Netty tells those of a closed channel. */
    void fail(Throwable why) {
        asked();
        tap.released(this);
        while (!writes.isEmpty()) {
            ReferenceCountUtil.safeRelease(writes.poll());
            ChannelPromise promise = (ChannelPromise) writes.poll();
            if (!promise.isVoid()) {
                promise.tryFailure(why);
            }
        }
    }
}
