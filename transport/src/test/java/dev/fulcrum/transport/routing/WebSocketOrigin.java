package dev.fulcrum.transport.routing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Netty WebSocket origin on 127.0.0.1 at path {@code /ws}: echoes text and binary frames; the text
 * {@code "close-me"} makes it send a close frame (1000, "bye") and close the connection; {@code "flood"} makes it
 * send up to {@link #FLOOD_BYTES} in 64 KiB binary frames, writing only while its socket is writable.
 *
 * <p>Thread-safe: runs on its own NIO loop.
 */
final class WebSocketOrigin implements AutoCloseable {
    static final int MAX_FRAME_BYTES = 8 << 20;
    static final long FLOOD_BYTES = 256L << 20;
    private static final int FLOOD_FRAME_BYTES = 64 << 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong flooded = new java.util.concurrent.atomic.AtomicLong();
    private final CountDownLatch closedConnections = new CountDownLatch(1);

    WebSocketOrigin() throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> closedConnections.countDown());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").maxFramePayloadLength(MAX_FRAME_BYTES)
                                        .allowExtensions(false).build()),
                                new Echo());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Bytes of flood payload handed to the socket so far. */
    long flooded() {
        return flooded.get();
    }

    int handshakes() {
        return handshakes.get();
    }

    /** True once a connection to the origin has closed. */
    boolean awaitConnectionClosed(long millis) throws InterruptedException {
        return closedConnections.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        private boolean flooding;

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (flooding) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            while (ctx.channel().isWritable() && flooded.get() < FLOOD_BYTES) {
                final io.netty.buffer.ByteBuf payload = ctx.alloc().buffer(FLOOD_FRAME_BYTES);
                payload.writeZero(FLOOD_FRAME_BYTES);
                flooded.addAndGet(FLOOD_FRAME_BYTES);
                ctx.write(new BinaryWebSocketFrame(payload));
            }
            ctx.flush();
        }
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                handshakes.incrementAndGet();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame && ((TextWebSocketFrame) frame).text().equals("flood")) {
                flooding = true;
                pump(ctx);
            } else if (frame instanceof TextWebSocketFrame && ((TextWebSocketFrame) frame).text().equals("close-me")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame.retain());
            }
        }
    }
}
