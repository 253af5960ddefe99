package dev.fulcrum.transport.upstream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The handler of streams a backend opens towards Fulcrum on an HTTP/2 connection: server push is disabled in our
 * SETTINGS, so such a stream is closed unread.
 */
@ChannelHandler.Sharable
public final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
    public static final RefusePushedStreams INSTANCE = new RefusePushedStreams();

    private RefusePushedStreams() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        ctx.close();
    }
}
