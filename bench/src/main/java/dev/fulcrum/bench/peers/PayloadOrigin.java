package dev.fulcrum.bench.peers;

import dev.fulcrum.transport.io.TransportChooser;
import dev.fulcrum.transport.io.TransportKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The origins behind every proxy of a comparison: HTTP/1.1 keep-alive listeners on 127.0.0.1, all on one event loop
 * (native transport where available), answering {@code GET /payload/<bytes>} with that many bytes at once. Bodies are
 * built once and sent as retained duplicates, so the origin costs as little as it can on the load generator's core.
 *
 * <p>Started and closed by one thread; serves on its event loop.
 */
public final class PayloadOrigin implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final byte[] NOT_FOUND = "{\"status\":404,\"error\":\"no such payload\"}"
            .getBytes(StandardCharsets.US_ASCII);

    private final MultiThreadIoEventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<String, ByteBuf> bodies = new HashMap<>();
    /** The buffers behind {@link #bodies} (which are unreleasable views), released on close. */
    private final List<ByteBuf> owned = new ArrayList<>();

    private PayloadOrigin(MultiThreadIoEventLoopGroup group) {
        this.group = group;
    }

    /** Binds {@code listeners} ports on 127.0.0.1 serving {@code payloads}. */
    public static PayloadOrigin start(int listeners, List<Payload> payloads) throws InterruptedException {
        final TransportKind transport = TransportChooser.choose("auto");
        final PayloadOrigin origin = new PayloadOrigin(new MultiThreadIoEventLoopGroup(1,
                transport.ioHandlerFactory()));
        try {
            for (Payload payload : payloads) {
                final byte[] bytes = new byte[payload.bytes()];
                Arrays.fill(bytes, (byte) 'x');
                if (payload.bytes() == Payload.TINY_BYTES) {
                    System.arraycopy("Hello, World!".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, bytes.length);
                }
                final ByteBuf buffer = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
                origin.owned.add(buffer);
                origin.bodies.put(payload.path(), Unpooled.unreleasableBuffer(buffer.asReadOnly()));
            }
            final ServerBootstrap bootstrap = new ServerBootstrap().group(origin.group)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                    origin.handler);
                        }
                    });
            for (int i = 0; i < listeners; i++) {
                origin.listeners.add(bootstrap.bind("127.0.0.1", 0).sync().channel());
            }
            return origin;
        } catch (InterruptedException | RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    /** {@code host:port} of each listener. */
    public List<String> addresses() {
        final List<String> out = new ArrayList<>();
        for (Channel listener : listeners) {
            out.add("127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort());
        }
        return out;
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (ByteBuf buffer : owned) {
            buffer.release();
        }
        owned.clear();
    }

    private final ChannelHandler handler = new Responder();

    @ChannelHandler.Sharable
    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            final ByteBuf body = bodies.get(request.uri());
            final FullHttpResponse response = body == null
                    ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                    Unpooled.wrappedBuffer(NOT_FOUND))
                    : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.duplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!keepAlive) {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(response, ctx.voidPromise());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client reset mid-response; nothing to answer
        }
    }
}
