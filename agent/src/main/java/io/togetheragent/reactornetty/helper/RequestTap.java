package io.togetheragent.reactornetty.helper;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.togetheragent.core.FailOpen;
import reactor.netty.Connection;

/**
 * Shows a {@link SentRequest} what its attempt writes to the connection, from the head to the end of the body.
 *
 * <p>One per channel, added the first time a Together request goes out on it and left there while the pool keeps
 * the channel, idle between requests: Reactor Netty's own {@code addHandlerLast} would add and remove it for every
 * request, and that alone (a synchronized pipeline change each way, a name list, a subscription for the removal)
 * cost more than the rest of the agent's work on a request.
 */
final class RequestTap extends ChannelOutboundHandlerAdapter {
    static final String NAME = "together-agent.request-tap";
    /**
     * Reactor Netty's last handler ({@code NettyPipeline.ReactiveBridge}): the tap goes before it, as a user's
     * would.
     */
    private static final String REACTIVE_BRIDGE = "reactor.right.reactiveBridge";

    /** The request going out now, until its end; null between requests. */
    private volatile SentRequest watched;

    /**
     * Watches what the attempt writes, from just before it writes anything (Reactor Netty's request callback). A
     * request the tap cannot be put before (the agent's failure, or a handler of the tap's name that is not one)
     * goes out unwatched: it is not retried, and the log says why.
     */
    static void watch(Connection connection, SentRequest sent) {
        sent.restart();
        try {
            FailOpen.injectFault("request-tap");
            RequestTap tap = of(connection.channel().pipeline());
            if (tap != null) {
                tap.watched = sent;
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
        ctx.write(msg, promise);
    }
}
