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
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
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
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * One simulated origin: an HTTP/1.1 server on 127.0.0.1 that answers every request with a small fixed body after a
 * delay drawn from its {@link LatencyProfile}, and counts what it served. Used by the demo and by scenarios, which
 * also set an error rate, a concurrency capacity, and change its behaviour while it runs (slow down, fail, recover,
 * kill, restart).
 *
 * <p>Runs on the NIO group it is started with; the delay is a task scheduled on the connection's event loop, never a
 * sleep. The behaviour controls and counters may be used from any thread.
 */
public final class DemoOrigin {
    /** Body requests may carry: the demo client sends none, the cap only bounds a misbehaving caller. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final byte[] FAILURE_BODY = "{\"error\":\"simulated failure\"}".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final LatencyProfile profile;
    private final byte[] body;
    private final double errorRate;
    private final int capacity;
    /** Seeded draws when the caller gave a seed (java.util.Random is safe across loops), else per-thread draws. */
    private final Random seeded;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inService = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final ChannelGroup children = new DefaultChannelGroup("origin", GlobalEventExecutor.INSTANCE);
    private volatile double slowFactor = 1.0;
    private volatile boolean failing;
    private EventLoopGroup group;
    private Channel listener;
    private int port;

    public DemoOrigin(String name, LatencyProfile profile) {
        this(name, profile, 0, 0, null);
    }

    /**
     * @param errorRate share of requests answered 500 at once, in [0, 1]
     * @param capacity  requests served concurrently; more wait in a queue (service time starts when served);
     *                  0 for unlimited
     * @param seed      seed of the delay and error draws; null for unseeded
     */
    public DemoOrigin(String name, LatencyProfile profile, double errorRate, int capacity, Long seed) {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error rate must be in [0, 1]: " + errorRate);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.name = name;
        this.profile = profile;
        this.body = ("hello from " + name + "\n").getBytes(StandardCharsets.US_ASCII);
        this.errorRate = errorRate;
        this.capacity = capacity;
        this.seeded = seed == null ? null : new Random(seed);
    }

    /** Binds 127.0.0.1 on an ephemeral port. */
    public DemoOrigin start(EventLoopGroup group) throws InterruptedException {
        this.group = group;
        bind(0);
        return this;
    }

    private void bind(int requestedPort) throws InterruptedException {
        final ChannelHandler handler = new OriginHandler();
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                    }
                })
                .bind("127.0.0.1", requestedPort).sync().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public String name() {
        return name;
    }

    public LatencyProfile profile() {
        return profile;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Responses written so far, errors included. */
    public long served() {
        return served.get();
    }

    /** Error responses (simulated failures) written so far. */
    public long failed() {
        return failed.get();
    }

    /** Every delay is multiplied by {@code factor} from now on (1 restores the profile). */
    public void slowDown(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("slow-down factor must be positive: " + factor);
        }
        slowFactor = factor;
    }

    /** From now on every request is answered 503 at once, until {@link #recover}. */
    public void fail() {
        failing = true;
    }

    /** Back to the configured profile: no forced failure, no slow-down. */
    public void recover() {
        failing = false;
        slowFactor = 1.0;
    }

    /** Stops listening and closes every open connection, as a crashed process would. */
    public void kill() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        children.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /** Listens again on the same port after {@link #kill}. */
    public void restart() throws InterruptedException {
        if (listener == null) {
            bind(port);
        }
    }

    /** Stops accepting; open connections close with the event loop group. */
    public void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    private RandomGenerator random() {
        return seeded != null ? seeded : ThreadLocalRandom.current();
    }

    @ChannelHandler.Sharable
    private final class OriginHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (failing) {
                respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE);
                return;
            }
            if (errorRate > 0 && random().nextDouble() < errorRate) {
                respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR);
                return;
            }
            // Simulated origins are not what is measured: a task per response is fine here.
            final Runnable serve = () -> serve(ctx, keepAlive);
            if (capacity > 0 && inService.incrementAndGet() > capacity) {
                inService.decrementAndGet();
                waiting.add(serve);
                return;
            }
            if (capacity > 0) {
                serve.run();
            } else {
                serve(ctx, keepAlive);
            }
        }

        /** Holds one service slot (when capacity is limited) for the drawn delay, then answers. */
        private void serve(ChannelHandlerContext ctx, boolean keepAlive) {
            final long delay = (long) (profile.nextDelayNanos(random()) * slowFactor);
            ctx.executor().schedule(() -> {
                respond(ctx, keepAlive, HttpResponseStatus.OK);
                if (capacity > 0) {
                    releaseSlot();
                }
            }, delay, TimeUnit.NANOSECONDS);
        }

        private void releaseSlot() {
            final Runnable next = waiting.poll();
            if (next != null) {
                next.run(); // the slot passes straight to the next waiter
            } else {
                inService.decrementAndGet();
            }
        }

        private void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status) {
            if (!ctx.channel().isActive()) {
                return;
            }
            final byte[] content = status == HttpResponseStatus.OK ? body : FAILURE_BODY;
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    // A heap wrapper of the shared array: nothing pooled, nothing to leak.
                    Unpooled.wrappedBuffer(content));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length)
                    .set("x-origin", name);
            served.incrementAndGet();
            if (status != HttpResponseStatus.OK) {
                failed.incrementAndGet();
            }
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
