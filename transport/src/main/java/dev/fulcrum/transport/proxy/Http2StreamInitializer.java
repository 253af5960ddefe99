package dev.fulcrum.transport.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Builds the pipeline of each HTTP/2 stream channel: the HTTP/2 to HTTP/1.1 object codec, {@link Http2RequestAdapter}
 * and a new {@link ProxyExchangeHandler}, then leaves.
 *
 * <p>Why not a {@link io.netty.channel.ChannelInitializer}: a stream lives for one request, so its set-up is paid per
 * request, and ChannelInitializer guards against running twice with a concurrent map keyed by identity hash (an
 * insert and a removal per stream). Stream channels are registered once, on their parent's event loop, so this guard
 * is not needed. The codec and the adapter are stateless and shared; only the exchange handler is per stream.
 *
 * <p>Sharable: one per connection, holding only immutable references.
 */
@ChannelHandler.Sharable
final class Http2StreamInitializer extends ChannelHandlerAdapter {
    static final String CODEC = "h2-stream-codec";
    static final String ADAPTER = "h2-request-adapter";

    private static final Http2StreamFrameToHttpObjectCodec SERVER_CODEC = new Http2StreamFrameToHttpObjectCodec(true);
    private static final Http2RequestAdapter REQUEST_ADAPTER = new Http2RequestAdapter();

    private final ProxyContext context;

    Http2StreamInitializer(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Each stream reads only when its exchange asks, so a slow backend closes that stream's window alone.
        ctx.channel().config().setAutoRead(false);
        final ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addLast(CODEC, SERVER_CODEC);
        pipeline.addLast(ADAPTER, REQUEST_ADAPTER);
        pipeline.addLast(ProxyPipeline.EXCHANGE, new ProxyExchangeHandler(context));
        pipeline.remove(this);
    }
}
