package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.transport.io.TransportChooser;
import dev.fulcrum.transport.io.TransportKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives the forwarding path with loopback traffic before the real listeners open, until the JIT compiler has
 * settled, so that the first client requests run compiled code.
 *
 * <p>Why: on a host that gives Fulcrum one core, C2 compiles about six seconds of CPU worth of Netty and relay code
 * after start (measured with {@code -XX:+CITime} under load); without a warm-up that work competes with the first
 * seconds of real traffic and shows as latency and CPU per request. The warm-up is isolated: its own proxy instance
 * on 127.0.0.1 with the configured transport, two in-process origins and an in-process client, all stopped before
 * {@code run} binds its ports. No configured backend sees a warm-up request.
 *
 * <p>It ends when at least {@link #MIN_REQUESTS} requests went through and the JIT's accumulated compile time grew
 * by less than {@link #SETTLED_COMPILE_SHARE} of wall time in each of {@link #QUIET_WINDOWS} windows in a row, or at
 * the time cap.
 */
public final class JitWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(JitWarmup.class);
    private static final long WINDOW_MILLIS = 250;
    private static final long MIN_MILLIS = 1_000;
    /** Quiet windows in a row that count as settled: C2 compiles in bursts, one quiet window proves little. */
    private static final int QUIET_WINDOWS = 4;
    /** Requests relayed before settling counts: C2 thresholds are invocation counts, not time. */
    private static final long MIN_REQUESTS = 20_000;
    /** Compile activity below this share of one window's wall time counts as settled. */
    private static final double SETTLED_COMPILE_SHARE = 0.02;
    private static final int CONNECTIONS = 16;
    private static final byte[] BODY = "fulcrum warm-up\n".getBytes(StandardCharsets.US_ASCII);

    private JitWarmup() {
    }

    /** What a warm-up did. */
    public record Result(long requests, long errors, long elapsedMillis, long compileMillis, boolean settled) {
    }

    /**
     * Runs the warm-up on the transport the real configuration asks for.
     *
     * @param real      the configuration about to be served (only its transport and limits are used)
     * @param maxMillis the time cap; 0 or less skips the warm-up
     * @return what was done; zero requests when skipped or when a loopback port could not be had
     */
    public static Result run(FulcrumConfig real, long maxMillis) throws InterruptedException {
        if (maxMillis <= 0) {
            return new Result(0, 0, 0, 0, false);
        }
        final TransportKind transport = TransportChooser.choose(real.transport());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        final List<Channel> channels = new ArrayList<>();
        ProxyServer proxy = null;
        final long start = System.nanoTime();
        final Load load = new Load();
        try {
            final List<String> backends = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                final Channel origin = startOrigin(group, transport);
                channels.add(origin);
                backends.add("http://127.0.0.1:" + ((InetSocketAddress) origin.localAddress()).getPort());
            }
            final int port = freeLoopbackPort();
            final FulcrumConfig base = FulcrumConfig.forBackends(port, backends, null, 1, real.transport());
            final FulcrumConfig warm = new FulcrumConfig(base.transport(), 1, base.services(), base.timeouts(),
                    real.limits(), base.retries(), base.proxyHeaders(), base.connectionPool(), List.of(),
                    "127.0.0.1");
            proxy = ProxyServer.start(warm);
            final Bootstrap client = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new ClosedLoopClient(load, port));
                        }
                    });
            for (int i = 0; i < CONNECTIONS; i++) {
                channels.add(client.connect("127.0.0.1", port).sync().channel());
            }
            final boolean settled = waitForJit(maxMillis, start, load);
            load.stopped.set(true);
            final long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final Result result = new Result(load.requests.sum(), load.errors.sum(), elapsed, compileMillis(), settled);
            LOG.info("JIT warm-up: {} requests ({} errors) in {} ms on {}, {} (total compile time {} ms)",
                    result.requests(), result.errors(), result.elapsedMillis(), transport.configName(),
                    settled ? "compiler settled" : "time cap reached", result.compileMillis());
            return result;
        } catch (IOException | RuntimeException e) {
            LOG.warn("JIT warm-up skipped: {}", e.toString());
            return new Result(load.requests.sum(), load.errors.sum(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), compileMillis(), false);
        } finally {
            load.stopped.set(true);
            for (Channel channel : channels) {
                channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
            if (proxy != null) {
                proxy.drainAndStop(0);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until compile activity falls under the settled share for one window after the minimum, or the cap. */
    private static boolean waitForJit(long maxMillis, long startNanos, Load load) throws InterruptedException {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            Thread.sleep(Math.min(maxMillis, MIN_MILLIS * 3));
            return false;
        }
        long previous = jit.getTotalCompilationTime();
        int quiet = 0;
        while (true) {
            Thread.sleep(WINDOW_MILLIS);
            final long now = jit.getTotalCompilationTime();
            final long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            quiet = now - previous < WINDOW_MILLIS * SETTLED_COMPILE_SHARE ? quiet + 1 : 0;
            if (elapsed >= MIN_MILLIS && quiet >= QUIET_WINDOWS && load.requests.sum() >= MIN_REQUESTS) {
                return true;
            }
            if (elapsed >= maxMillis) {
                return false;
            }
            previous = now;
        }
    }

    private static long compileMillis() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Channel startOrigin(EventLoopGroup group, TransportKind transport) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Origin());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Counters shared by the warm-up client connections. */
    private static final class Load {
        final AtomicBoolean stopped = new AtomicBoolean();
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
    }

    /** Answers every request with a small keep-alive 200, as a typical origin would. */
    private static final class Origin extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, Unpooled.wrappedBuffer(BODY));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            ctx.writeAndFlush(response, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One keep-alive connection sending the next GET as soon as the previous response has ended. */
    private static final class ClosedLoopClient extends SimpleChannelInboundHandler<HttpObject> {
        private final Load load;
        private final String host;

        ClosedLoopClient(Load load, int port) {
            this.load = load;
            this.host = "127.0.0.1:" + port;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                load.errors.increment();
                ctx.close();
                return;
            }
            if (msg instanceof LastHttpContent) {
                load.requests.increment();
                if (!load.stopped.get()) {
                    send(ctx);
                }
            }
        }

        private void send(ChannelHandlerContext ctx) {
            final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/warm-up", Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, host);
            ctx.writeAndFlush(request, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            load.errors.increment();
            ctx.close();
        }
    }
}
