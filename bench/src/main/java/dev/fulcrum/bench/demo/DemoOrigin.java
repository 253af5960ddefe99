package dev.fulcrum.bench.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One demo origin: an HTTP/1.1 server on 127.0.0.1 that answers every request with a small fixed body after a delay
 * drawn from its {@link LatencyProfile}, and counts what it served.
 *
 * <p>Runs on the NIO group it is started with; the delay is a task scheduled on the connection's event loop, never a
 * sleep. {@link #served()} may be read from any thread.
 */
public final class DemoOrigin {
    /** Body requests may carry: the demo client sends none, the cap only bounds a misbehaving caller. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final String name;
    private final LatencyProfile profile;
    private final byte[] body;
    private final AtomicLong served = new AtomicLong();
    private Channel listener;

    public DemoOrigin(String name, LatencyProfile profile) {
        this.name = name;
        this.profile = profile;
        this.body = ("hello from " + name + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Binds 127.0.0.1 on an ephemeral port. */
    public DemoOrigin start(EventLoopGroup group) throws InterruptedException {
        final ChannelHandler handler = new OriginHandler();
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return this;
    }

    public String name() {
        return name;
    }

    public LatencyProfile profile() {
        return profile;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Responses written so far. */
    public long served() {
        return served.get();
    }

    /** Stops accepting; open connections close with the event loop group. */
    public void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    @ChannelHandler.Sharable
    private final class OriginHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            // The demo's origins are not what is measured: a task per response is fine here.
            ctx.executor().schedule(() -> respond(ctx, keepAlive), profile.nextDelayNanos(), TimeUnit.NANOSECONDS);
        }

        private void respond(ChannelHandlerContext ctx, boolean keepAlive) {
            if (!ctx.channel().isActive()) {
                return;
            }
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    // A heap wrapper of the shared array: nothing pooled, nothing to leak.
                    Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("x-origin", name);
            served.incrementAndGet();
            if (keepAlive) {
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
