package dev.fulcrum.bench.demo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's load: a fixed number of keep-alive HTTP/1.1 connections in a closed loop, each sending its next GET
 * as soon as the previous response is complete, with response latency recorded in microseconds.
 *
 * <p>Closed loop on purpose (it is a demo of the proxy, not a capacity test): when the proxy slows down, so does the
 * offered load, so the latencies here do not include the queueing an open-loop client would see.
 *
 * <p>Threading: connections live on the client group's loops and record into a shared {@link Recorder} (wait-free
 * for writers) and {@link LongAdder}s; {@link #startRecording}, {@link #stopRecording} and {@link #stop} run on the
 * control thread.
 */
final class DemoLoad {
    /** Responses are tiny; the cap only stops a broken proxy from making the client buffer without bound. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    /** Pause before replacing a lost connection: keeps a dead proxy from turning the client into a busy loop. */
    private static final long RECONNECT_DELAY_MILLIS = 20;

    private final EventLoopGroup group;
    private final InetSocketAddress target;
    private final String hostHeader;
    private final Bootstrap bootstrap;
    private final ChannelGroup channels = new DefaultChannelGroup("demo-load", GlobalEventExecutor.INSTANCE);
    private final Recorder latencyMicros = new Recorder(3);
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean recording;

    DemoLoad(EventLoopGroup group, InetSocketAddress target) {
        this.group = group;
        this.target = target;
        this.hostHeader = target.getHostString() + ':' + target.getPort();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                new ClientConnection());
                    }
                });
    }

    void start(int connections) {
        for (int i = 0; i < connections; i++) {
            connect();
        }
    }

    /** Discards what was recorded so far (warmup) and counts from now on. */
    void startRecording() {
        latencyMicros.getIntervalHistogram();
        non2xx.reset();
        connectionErrors.reset();
        recording = true;
    }

    /** Stops counting; returns the latencies recorded since {@link #startRecording}. */
    Histogram stopRecording() {
        recording = false;
        return latencyMicros.getIntervalHistogram();
    }

    long non2xx() {
        return non2xx.sum();
    }

    long connectionErrors() {
        return connectionErrors.sum();
    }

    /**
     * Lets every connection finish the request it has in flight (up to {@code graceMillis}), then closes them all
     * and stops the client's event loops.
     */
    void stop(long graceMillis) {
        running = false;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void connect() {
        if (!running) {
            return;
        }
        bootstrap.connect(target).addListener((ChannelFuture future) -> {
            if (future.isSuccess()) {
                channels.add(future.channel());
            } else if (running) {
                countConnectionError();
                scheduleReconnect(future.channel());
            }
        });
    }

    private void scheduleReconnect(Channel lost) {
        if (running && !group.isShuttingDown()) {
            lost.eventLoop().schedule(this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void countConnectionError() {
        if (recording) {
            connectionErrors.increment();
        }
    }

    /** One connection's closed loop. Confined to its channel's event loop. */
    private final class ClientConnection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private long sentNanos;
        private boolean inFlight;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendNext(ctx);
            ctx.fireChannelActive();
        }

        private void sendNext(ChannelHandlerContext ctx) {
            if (!running) {
                ctx.close();
                return;
            }
            final FullHttpRequest request =
                    new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, hostHeader);
            inFlight = true;
            outstanding.incrementAndGet();
            sentNanos = System.nanoTime();
            ctx.writeAndFlush(request, ctx.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            final long micros = (System.nanoTime() - sentNanos) / 1_000;
            if (!inFlight) {
                return; // an answer nobody asked for: ignore, the decoder already consumed it
            }
            inFlight = false;
            outstanding.decrementAndGet();
            if (recording) {
                latencyMicros.recordValue(Math.max(1, micros));
                final int code = response.status().code();
                if (code < 200 || code > 299) {
                    non2xx.increment();
                }
            }
            if (HttpUtil.isKeepAlive(response)) {
                sendNext(ctx);
            } else {
                ctx.close(); // channelInactive replaces the connection
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (inFlight) {
                inFlight = false;
                outstanding.decrementAndGet();
                if (running) {
                    countConnectionError();
                }
            }
            if (running) {
                scheduleReconnect(ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // counted by channelInactive when a request was in flight
        }
    }
}
