package io.togetheragent.reactornetty.helper;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.togetheragent.core.FailOpen;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import reactor.netty.Connection;

/**
 * Shows a {@link SentRequest} what its attempt writes to the connection, from the head to the end of the body, and
 * holds a first attempt's writes until its call's turn, which is known only once its request is: Spring sets the
 * headers, and every body is written, only while the request is being sent.
 *
 * <p>One per channel, added the first time a Together request goes out on it and left there while the pool keeps
 * the channel, idle between requests: Reactor Netty's own {@code addHandlerLast} would add and remove it for every
 * request, and that alone (a synchronized pipeline change each way, a name list, a subscription for the removal)
 * cost more than the rest of the agent's work on a request.
 */
final class RequestTap extends ChannelDuplexHandler {
    static final String NAME = "together-agent.request-tap";
    /**
     * Reactor Netty's last handler ({@code NettyPipeline.ReactiveBridge}): the tap goes before it, as a user's
     * would.
     */
    private static final String REACTIVE_BRIDGE = "reactor.right.reactiveBridge";

    /**
     * How long a first attempt's writes wait for the rest of its body before its turn is asked with what is known
     * (its key's lane): a body written at once ends in the write that began it.
     */
    private static final long WHOLE_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** The request going out now, until its end; null between requests. */
    private volatile SentRequest watched;
    /** The call whose turn the watched request still has to ask for, once it is known; null once asked. */
    private volatile FirstTurn unasked;
    /** The writes held for a turn; on the event loop only. */
    private HeldWrites held;

    /** A call whose first request takes its turn once it is known. */
    interface FirstTurn {
        /**
         * On the connection's event loop, once the request is known as far as it will be before it goes: true when
         * it may go now; else the call releases or drops {@code writes} when it may, from any thread.
         */
        boolean mayGo(HeldWrites writes);
    }

    /**
     * Watches what the attempt writes, from just before it writes anything (Reactor Netty's request callback). A
     * request the tap cannot be put before (the agent's failure, or a handler of the tap's name that is not one)
     * goes out unwatched: it is not retried, and the log says why.
     */
    static void watch(Connection connection, SentRequest sent, FirstTurn turn) {
        sent.restart();
        try {
            FailOpen.injectFault("request-tap");
            RequestTap tap = of(connection.channel().pipeline());
            if (tap != null) {
                tap.watched = sent;
                tap.unasked = turn;
            } else {
                sent.unwatched("a handler of the connection's pipeline is named " + NAME + ", the agent's tap");
            }
        } catch (Throwable t) {
            FailOpen.report("watching a Reactor Netty request as it goes out", t);
            sent.unwatched("the agent could not watch it go out");
        }
    }

    /** The channel's tap, added now if it has none; null where another handler holds its name. */
    private static RequestTap of(ChannelPipeline pipeline) {
        ChannelHandler existing = pipeline.get(NAME);
        if (existing != null) {
            return existing instanceof RequestTap ? (RequestTap) existing : null;
        }
        RequestTap tap = new RequestTap();
        if (pipeline.context(REACTIVE_BRIDGE) != null) {
            pipeline.addBefore(REACTIVE_BRIDGE, NAME, tap);
        } else {
            pipeline.addLast(NAME, tap);
        }
        return tap;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        SentRequest sent = watched;
        // Past its end, the request lets go: the next request on this channel may be no Together call of the agent's.
        if (sent != null && sent.keep(msg)) {
            watched = null;
        }
        HeldWrites writes = held;
        FirstTurn call = unasked;
        if (writes == null && call == null) {
            ctx.write(msg, promise);
            return;
        }
        if (writes == null) {
            writes = held = new HeldWrites(ctx, this);
        }
        // Reporting a held head written lets Reactor Netty write the body, most often before add returns.
        writes.add(msg, promise);
        if (call == null || unasked != call) {
            return;
        }
        if (sent == null || sent.settled()) {
            ask(writes);
        } else if (!writes.timed()) {
            // On the event loop's own timer: cancelled there, it is gone at once.
            HeldWrites waiting = writes;
            waiting.until(ctx.executor().schedule(() -> ask(waiting), WHOLE_WITHIN_NANOS, TimeUnit.NANOSECONDS));
        }
    }

    /** Asks the call for its turn, once for the request: the writes go now, or when the call releases them. */
    private void ask(HeldWrites writes) {
        FirstTurn call = unasked;
        if (call == null || held != writes) {
            return;
        }
        unasked = null;
        writes.asked();
        boolean now;
        try {
            now = call.mayGo(writes);
        } catch (Throwable t) {
            FailOpen.report("the turn of a Reactor Netty request", t);
            now = true;
        }
        if (now) {
            writes.release();
        }
    }

    /** The held writes went, or were let go: what follows on this channel passes. */
    void released(HeldWrites writes) {
        if (held == writes) {
            held = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        letGo();
        ctx.fireChannelInactive();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        letGo();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        letGo();
    }

    /** The channel closes with writes held: they fail as writes to a closed channel do. */
    private void letGo() {
        unasked = null;
        HeldWrites writes = held;
        if (writes != null) {
            writes.fail(new ClosedChannelException());
        }
    }
}
