package io.togetheragent.reactornetty.helper;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
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
    /** Reactor Netty's last handler ({@code NettyPipeline.ReactiveBridge}): the tap goes before it, as a user's would. */
    private static final String REACTIVE_BRIDGE = "reactor.right.reactiveBridge";

    /** The request going out now, until its end; null between requests. */
    private volatile SentRequest watched;

    /**
     * Watches what the attempt writes, from just before it writes anything (Reactor Netty's request callback).
     *
     * @return false when the channel holds a handler of the tap's name that is not one
     */
    static boolean watch(Connection connection, SentRequest sent) {
        ChannelPipeline pipeline = connection.channel().pipeline();
        ChannelHandler existing = pipeline.get(NAME);
        RequestTap tap;
        if (existing instanceof RequestTap) {
            tap = (RequestTap) existing;
        } else if (existing == null) {
            tap = new RequestTap();
            if (pipeline.context(REACTIVE_BRIDGE) != null) {
                pipeline.addBefore(REACTIVE_BRIDGE, NAME, tap);
            } else {
                pipeline.addLast(NAME, tap);
            }
        } else {
            return false;
        }
        sent.restart();
        tap.watched = sent;
        return true;
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
