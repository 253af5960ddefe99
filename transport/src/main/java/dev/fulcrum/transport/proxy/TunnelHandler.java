package dev.fulcrum.transport.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One direction of a byte tunnel (after an HTTP/1.1 Upgrade): whatever this channel reads is written to the peer.
 *
 * <p>Confined to the event loop both channels share. Buffers are forwarded by reference, never copied: the peer's
 * write owns them. Both channels run with auto-read off; this side reads again only while the peer is writable,
 * and when this channel becomes writable again it asks the peer to read (the peer's tunnel handler stopped for the
 * same reason), so a slow side bounds what is buffered for it. A close of either side closes the other after what
 * is queued for it has been flushed. A tunnel silent both ways for {@code timeouts.tunnel_idle} is closed on both
 * sides.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelHandler.class);
    /** Pipeline name of the tunnel handler on both channels. */
    static final String NAME = "tunnel";
    /** Pipeline name of the idle timer, on the client channel only. */
    static final String IDLE = "tunnel-idle";

    private final Channel peer;
    private boolean flushPending;

    TunnelHandler(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer.isActive()) {
            peer.write(msg, peer.voidPromise());
            flushPending = true;
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            peer.flush();
        }
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer.isActive()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Puts the tunnel's idle timer in front of the client side's tunnel handler. The client channel sees every byte
     * of the tunnel (client to backend as reads, backend to client as writes), so one timer there covers both
     * directions; {@code timeouts.tunnel_idle} without either closes both connections.
     */
    static void installIdleTimer(ChannelPipeline clientPipeline, long idleMillis) {
        clientPipeline.addBefore(NAME, IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("tunnel {} <-> {} idle, closing both sides", ctx.channel().remoteAddress(),
                        peer.remoteAddress());
            }
            ctx.close();
            closePeer();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closePeer();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        closePeer();
    }

    private void closePeer() {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
