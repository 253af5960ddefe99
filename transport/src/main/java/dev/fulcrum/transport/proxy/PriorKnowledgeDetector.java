package dev.fulcrum.transport.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * On a plain listener, tells HTTP/2 with prior knowledge (h2c, RFC 9113 section 3.3) from HTTP/1.1 by the client's
 * first bytes: the connection preface switches the connection to {@link Http2Pipeline}, anything else leaves the
 * HTTP/1.1 pipeline as it is. Removes itself either way.
 *
 * <p>One per connection; confined to its event loop. Holds at most the first 24 bytes while they are still a prefix
 * of the preface.
 */
public final class PriorKnowledgeDetector extends ChannelInboundHandlerAdapter {
    public static final String NAME = "h2c-detector";
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ProxyContext context;
    private ByteBuf held;

    public PriorKnowledgeDetector(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (held != null) {
            held.writeBytes(in);
            in.release();
            in = held;
            held = null;
        }
        final int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(in);
            return;
        }
        if (n < PREFACE.readableBytes()) {
            held = ctx.alloc().buffer(PREFACE.readableBytes());
            held.writeBytes(in);
            in.release();
            ctx.read();
            return;
        }
        final ProxyExchangeHandler exchange = (ProxyExchangeHandler) ctx.pipeline().get(ProxyPipeline.EXCHANGE);
        if (exchange != null) {
            exchange.handOverToHttp2();
        }
        final io.netty.channel.ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get(ProxyPipeline.FRAMING_GUARD) != null) {
            // HTTP/1.1 framing rules do not apply to HTTP/2 frames; the HTTP/2 codec validates its own.
            pipeline.remove(ProxyPipeline.FRAMING_GUARD);
        }
        pipeline.remove(ProxyPipeline.CODEC);
        if (pipeline.get(ResponseCompressor.NAME) != null) {
            pipeline.remove(ResponseCompressor.NAME);
        }
        pipeline.remove(ProxyPipeline.EXCHANGE);
        Http2Pipeline.install(pipeline, context, context.config().limits());
        pipeline.remove(this);
        pipeline.fireChannelRead(in);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
