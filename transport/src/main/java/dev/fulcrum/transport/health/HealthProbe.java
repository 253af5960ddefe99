package dev.fulcrum.transport.health;

import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.BackendProtocol;
import dev.fulcrum.core.config.HealthCheckConfig;
import dev.fulcrum.transport.tls.UpstreamTls;
import dev.fulcrum.transport.upstream.RefusePushedStreams;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

/**
 * One backend's probe: a TCP connect, or a {@code GET path} (HTTP/1.1, or HTTP/2 for h2/h2c backends) whose status
 * is compared with the expected range. Each run opens a fresh connection (a pooled one would hide a backend that stopped accepting) and closes it.
 *
 * <p>Confined to its event loop: {@link #run()} must be called there, and at most one run is in progress (the
 * checker schedules the next run only after the previous result). The result is handed to {@code onResult}, also on
 * the event loop, exactly once per run.
 */
final class HealthProbe implements Runnable {
    private static final String USER_AGENT = "fulcrum-health-check";

    private final EventLoop loop;
    private final HealthCheckConfig config;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final Bootstrap bootstrap;
    private final Consumer<HealthProbe> onResult;
    private final ChannelFutureListener connectListener = this::onConnect;
    private final Runnable timeoutTask = this::onTimeout;
    /** Probes go as a stream on a fresh HTTP/2 connection. */
    private final boolean http2;

    /** The target this probe reports for; set once by the checker before the first run. */
    HealthChecker.Target owner;
    private Channel channel;
    private ScheduledFuture<?> timeout;
    private boolean running;
    private long run;
    // Result of the last run; read by the control thread after the queue hand-off.
    private boolean success;
    private String detail = "not probed yet";

    HealthProbe(EventLoop loop, Class<? extends SocketChannel> channelClass, HealthCheckConfig config,
                BackendConfig backend, InetSocketAddress address, UpstreamTls tls, Consumer<HealthProbe> onResult) {
        this.loop = loop;
        this.config = config;
        this.address = address;
        this.hostHeader = config.host() != null ? config.host() : backend.address().authority();
        this.onResult = onResult;
        // An https backend is probed over TLS with its own verification settings: a backend whose certificate the
        // proxy would refuse is not healthy.
        final boolean overTls = tls != null && backend.address().secure()
                && HealthCheckConfig.TYPE_HTTP.equals(config.type());
        // A backend configured for HTTP/2 only (h2, h2c) is probed in HTTP/2: it may not answer HTTP/1.1 at all.
        // An auto backend is probed in HTTP/1.1, which it speaks when not offered h2.
        this.http2 = backend.protocol().multiplexed() && HealthCheckConfig.TYPE_HTTP.equals(config.type());
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeoutMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws SSLException {
                        if (overTls) {
                            ch.pipeline().addLast(UpstreamTls.HANDLER, tls.newHandler(ch.alloc(), backend.address(),
                                    backend.tls(), http2 ? BackendProtocol.H2 : BackendProtocol.HTTP1));
                        }
                        if (http2) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().initialSettings(
                                    Http2Settings.defaultSettings().pushEnabled(false)).build(),
                                    new Http2MultiplexHandler(RefusePushedStreams.INSTANCE));
                        } else if (HealthCheckConfig.TYPE_HTTP.equals(HealthProbe.this.config.type())) {
                            ch.pipeline().addLast(new HttpClientCodec(), new StatusReader(run));
                        }
                    }
                });
    }

    EventLoop loop() {
        return loop;
    }

    boolean success() {
        return success;
    }

    String detail() {
        return detail;
    }

    @Override
    public void run() {
        if (running) {
            return;
        }
        running = true;
        run++;
        timeout = loop.schedule(timeoutTask, config.timeoutMillis(), TimeUnit.MILLISECONDS);
        final ChannelFuture connect = bootstrap.connect(address);
        channel = connect.channel();
        connect.addListener(connectListener);
    }

    private void onConnect(ChannelFuture future) {
        if (!running || future.channel() != channel) {
            future.channel().close();
            return;
        }
        if (!future.isSuccess()) {
            finish(false, "connect failed: " + future.cause());
            return;
        }
        if (HealthCheckConfig.TYPE_TCP.equals(config.type())) {
            finish(true, "connected");
            return;
        }
        final SslHandler ssl = future.channel().pipeline().get(SslHandler.class);
        if (ssl != null) {
            final Channel probed = future.channel();
            ssl.handshakeFuture().addListener(handshake -> onHandshake(probed, handshake));
            return;
        }
        sendRequest(future.channel());
    }

    private void onHandshake(Channel probed, Future<?> handshake) {
        if (!running || probed != channel) {
            return; // an earlier run's connection, closed when that run finished
        }
        if (handshake.isSuccess()) {
            final String chosen = probed.pipeline().get(SslHandler.class).applicationProtocol();
            if (http2 && !ApplicationProtocolNames.HTTP_2.equals(chosen)) {
                finish(false, "TLS handshake did not choose h2 (chose " + (chosen == null ? "nothing" : chosen) + ")");
                return;
            }
            sendRequest(probed);
        } else {
            finish(false, "TLS handshake failed: " + handshake.cause());
        }
    }

    private void sendRequest(Channel ch) {
        if (http2) {
            final long ofRun = run;
            new Http2StreamChannelBootstrap(ch).handler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new StatusReader(ofRun));
                }
            }).open().addListener((Future<Http2StreamChannel> opened) -> {
                if (opened.isSuccess()) {
                    writeRequest(opened.getNow());
                } else {
                    finish(false, "HTTP/2 stream not opened: " + opened.cause());
                }
            });
            return;
        }
        writeRequest(ch);
    }

    private void writeRequest(Channel ch) {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                config.path(), Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ch.writeAndFlush(request);
    }

    private void onTimeout() {
        if (running) {
            finish(false, "no " + (HealthCheckConfig.TYPE_TCP.equals(config.type()) ? "connection" : "response")
                    + " within " + config.timeoutMillis() + " ms");
        }
    }

    private void onStatus(long ofRun, int status) {
        if (!running || ofRun != run) {
            return;
        }
        if (config.isExpectedStatus(status)) {
            finish(true, "status " + status);
        } else {
            finish(false, "status " + status + " (expected " + config.expectedStatusMin() + "-"
                    + config.expectedStatusMax() + ")");
        }
    }

    private void onClosedEarly(long ofRun) {
        if (running && ofRun == run) {
            finish(false, "connection closed before a response");
        }
    }

    private void finish(boolean ok, String why) {
        running = false;
        success = ok;
        detail = why;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        final Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
        onResult.accept(this);
    }

    /** Reads the status of the probe's response, releases everything it receives. */
    private final class StatusReader extends ChannelInboundHandlerAdapter {
        private final long ofRun;

        StatusReader(long ofRun) {
            this.ofRun = ofRun;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse) {
                    onStatus(ofRun, ((HttpResponse) msg).status().code());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosedEarly(ofRun);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
