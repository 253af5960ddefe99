package dev.fulcrum.transport.upstream;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.transport.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionPrefaceAndSettingsFrameWrittenEvent;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * One HTTP/2 connection to a backend and the streams opened on it: every exchange gets its own stream channel, whose
 * pipeline converts HTTP/1.1 objects to HTTP/2 frames and back, so the exchange drives it exactly like a pooled
 * HTTP/1.1 connection, and closing it resets just that stream.
 *
 * <p>The connection takes new streams until it fails, closes, receives GOAWAY, or has as many streams open as the
 * backend's SETTINGS_MAX_CONCURRENT_STREAMS allows; then the pool opens another for new exchanges, and this one closes
 * once its last stream ends (a retired connection). Streams asked for before the connection is ready (TCP
 * connected, for h2 the TLS handshake done with ALPN h2, and the backend's SETTINGS received) wait for it and fail
 * with it.
 *
 * <p>Confined to its pool's event loop.
 */
final class Http2Upstream {
    private static final String FRAME_CODEC = "h2-frame-codec";
    private static final String MULTIPLEX = "h2-multiplex";
    private static final String ALPN_GATE = "h2-alpn-gate";
    private static final String CONNECTION_FRAMES = "h2-connection-frames";
    private static final String FLUSH_CONSOLIDATION = "h2-flush-consolidation";
    /**
     * Receive window per stream: what one exchange may have in flight before it reads (a slow client keeps its
     * stream's window closed, nothing more). HTTP/2's 64 KiB default would cap a 16 KiB-response stream at four
     * responses' worth per round trip.
     */
    static final int STREAM_WINDOW = 256 * 1024;
    /**
     * Receive window of the whole connection, shared by its streams: the default 64 KiB would let four concurrent
     * 16 KiB responses through per round trip. It bounds what all streams of one backend connection buffer.
     */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    private final UpstreamPool pool;
    private final BackendState backend;
    private final Channel parent;
    private final Http2FrameCodec codec;
    private final Http2StreamChannelBootstrap streams;
    private final List<Waiting> waiting = new ArrayList<>();
    private final ChannelFutureListener onStreamClosed = f -> streamClosed();
    private int openStreams;
    /** When the last stream ended (or the connection started): idle HTTP/2 connections age out like pooled ones. */
    private long idleSinceNanos = System.nanoTime();
    /** The backend's first SETTINGS arrived: streams may be opened. */
    private boolean ready;
    private ScheduledFuture<?> settingsTimeout;
    /** No new streams: GOAWAY received or replaced by another connection; closes after its last stream. */
    private boolean retired;
    private Throwable failure;

    private Http2Upstream(UpstreamPool pool, BackendState backend, Channel parent) {
        this.pool = pool;
        this.backend = backend;
        this.parent = parent;
        // Streams beyond the backend's SETTINGS_MAX_CONCURRENT_STREAMS (possible before its SETTINGS arrive) wait in
        // the encoder for a free slot instead of failing.
        this.codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
                .encoderEnforceMaxConcurrentStreams(true).build();
        this.streams = new Http2StreamChannelBootstrap(parent)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new StreamInitializer(this));
    }

    /**
     * Builds each stream's pipeline: the shared HTTP/2 to HTTP/1.1 codec, then the stream's {@link UpstreamConnection}.
     * Not a {@link ChannelInitializer} for the reason given in the proxy's {@code Http2StreamInitializer}: a stream
     * is set up per request, and streams are registered once, on their parent's loop.
     */
    @ChannelHandler.Sharable
    private static final class StreamInitializer extends ChannelHandlerAdapter {
        private static final Http2StreamFrameToHttpObjectCodec CLIENT_CODEC =
                new Http2StreamFrameToHttpObjectCodec(false);

        private final Http2Upstream upstream;

        StreamInitializer(Http2Upstream upstream) {
            this.upstream = upstream;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            final ChannelPipeline pipeline = ctx.pipeline();
            pipeline.addLast(UpstreamPool.CODEC, CLIENT_CODEC);
            pipeline.addLast(UpstreamPool.HANDLER,
                    new UpstreamConnection(upstream.pool, upstream.backend, ctx.channel(), true));
            pipeline.remove(this);
        }
    }

    /**
     * Turns a connecting channel (HTTP/1.1 codec in place, see {@link UpstreamConnector}) into an HTTP/2 connection
     * ({@code protocol: h2c}, or {@code h2} when {@code tls} is not null). For h2 TLS goes first, and an
     * {@link AlpnGate} holds everything the codec writes, its preface first, until the handshake has chosen h2 by
     * ALPN: a backend that only speaks HTTP/1.1 never receives HTTP/2 bytes.
     */
    static Http2Upstream start(UpstreamPool pool, BackendState backend, ChannelFuture connect, UpstreamTls tls) {
        final Channel parent = connect.channel();
        final Http2Upstream upstream = new Http2Upstream(pool, backend, parent);
        upstream.replaceHttp1Codec();
        if (tls == null) {
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    upstream.fail(f.cause());
                }
            });
            return upstream;
        }
        final ChannelPipeline pipeline = parent.pipeline();
        final SslHandler ssl;
        try {
            ssl = tls.newHandler(parent.alloc(), backend.address(), false);
        } catch (SSLException | RuntimeException e) {
            upstream.fail(e);
            return upstream;
        }
        pipeline.addFirst(UpstreamTls.HANDLER, ssl);
        pipeline.addAfter(UpstreamTls.HANDLER, ALPN_GATE, new AlpnGate());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                upstream.fail(f.cause());
            }
        });
        ssl.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                upstream.fail(f.cause());
            } else if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                upstream.fail(new SSLHandshakeException("backend did not choose h2 by ALPN (chose "
                        + (ssl.applicationProtocol() == null ? "nothing" : ssl.applicationProtocol()) + ")"));
            } else {
                pipeline.remove(ALPN_GATE);
            }
        });
        return upstream;
    }

    /**
     * Turns a connected HTTP/1.1 channel whose TLS handshake chose h2 ({@code protocol: auto}) into an HTTP/2
     * connection: the preface goes out as the codec is added.
     */
    static Http2Upstream adopt(UpstreamPool pool, BackendState backend, Channel channel) {
        final Http2Upstream upstream = new Http2Upstream(pool, backend, channel);
        channel.pipeline().remove(UpstreamPool.HANDLER);
        upstream.replaceHttp1Codec();
        return upstream;
    }

    private void replaceHttp1Codec() {
        final ChannelPipeline pipeline = parent.pipeline();
        pipeline.replace(UpstreamPool.CODEC, FRAME_CODEC, codec);
        pipeline.addAfter(FRAME_CODEC, MULTIPLEX, new Http2MultiplexHandler(RefusePushedStreams.INSTANCE));
        pipeline.addAfter(MULTIPLEX, CONNECTION_FRAMES, new ConnectionFrames(this));
        // Streams flush one by one as their exchanges write; the connection's socket needs one write per loop pass.
        pipeline.addBefore(FRAME_CODEC, FLUSH_CONSOLIDATION, new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        // Frames of all streams share the connection: it reads continuously, each stream channel reads on demand.
        parent.config().setAutoRead(true);
        // Ready means the backend's SETTINGS are known, so no stream is opened beyond its concurrency limit (it would
        // be refused); a backend that never sends them fails like a connect that timed out.
        final int timeoutMillis = parent.config().getConnectTimeoutMillis();
        settingsTimeout = parent.eventLoop().schedule(() -> fail(new ConnectTimeoutException(
                "no HTTP/2 SETTINGS from the backend within " + timeoutMillis + " ms")), timeoutMillis,
                TimeUnit.MILLISECONDS);
        parent.closeFuture().addListener(f -> fail(new ClosedChannelException()));
    }

    /** True while new streams may be opened here: not failed, closed or retired, and below the backend's limit. */
    boolean usable() {
        return failure == null && !retired && parent.isOpen()
                && openStreams < codec.connection().local().maxActiveStreams();
    }

    Channel parent() {
        return parent;
    }

    /**
     * A new stream for one exchange: its {@link UpstreamConnection}, whose channel is the stream channel. Completes
     * when the connection is ready.
     */
    Future<UpstreamConnection> openStream() {
        final Future<Http2StreamChannel> opened = streams.open();
        if (!opened.isDone() || !opened.isSuccess()) {
            // Opening runs synchronously on the connection's own loop; anything else is a broken connection.
            final Throwable cause = opened.isDone() ? opened.cause()
                    : new IllegalStateException("HTTP/2 stream open did not complete on the event loop");
            return parent.eventLoop().newFailedFuture(cause);
        }
        final Http2StreamChannel stream = opened.getNow();
        openStreams++;
        stream.closeFuture().addListener(onStreamClosed);
        if (openStreams >= codec.connection().local().maxActiveStreams()) {
            // Full: new exchanges go to a new connection; this one stays for its streams, then closes.
            retire();
        }
        final UpstreamConnection connection = (UpstreamConnection) stream.pipeline().get(UpstreamPool.HANDLER);
        if (ready) {
            return parent.eventLoop().newSucceededFuture(connection);
        }
        final Promise<UpstreamConnection> promise = parent.eventLoop().newPromise();
        if (failure != null) {
            stream.close();
            promise.setFailure(failure);
        } else {
            waiting.add(new Waiting(promise, connection));
        }
        return promise;
    }

    /** Stops taking streams; the connection closes when its last stream ends. */
    void retire() {
        retired = true;
        pool.forgetHttp2(backend, this);
        if (openStreams == 0) {
            parent.close();
        }
    }

    private void streamClosed() {
        openStreams--;
        if (openStreams == 0) {
            idleSinceNanos = System.nanoTime();
            if (retired) {
                parent.close();
            }
        }
    }

    /** True when no stream has been open for {@code idleTimeoutNanos}: the pool then retires the connection. */
    boolean idleFor(long now, long idleTimeoutNanos) {
        return openStreams == 0 && now - idleSinceNanos >= idleTimeoutNanos;
    }

    private void becomeReady() {
        if (failure != null || ready) {
            return;
        }
        ready = true;
        settingsTimeout.cancel(false);
        for (Waiting w : waiting) {
            w.promise().trySuccess(w.connection());
        }
        waiting.clear();
    }

    private void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        if (settingsTimeout != null) {
            settingsTimeout.cancel(false);
        }
        pool.forgetHttp2(backend, this);
        for (Waiting w : waiting) {
            w.connection().channel().close();
            w.promise().tryFailure(cause);
        }
        waiting.clear();
        parent.close();
    }

    /** A stream opened before the connection was ready, and the exchange's promise of it. */
    private record Waiting(Promise<UpstreamConnection> promise, UpstreamConnection connection) {
    }

    /**
     * Holds every write of the HTTP/2 codec until TLS has chosen h2; removing the gate sends what it held. When the
     * connection fails instead, closing the channel removes the gate, whose held writes then fail and are released.
     */
    private static final class AlpnGate extends ChannelOutboundHandlerAdapter {
        private PendingWriteQueue held;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            held = new PendingWriteQueue(ctx);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            held.add(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // Nothing leaves before the gate opens.
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            held.removeAndWriteAll();
            ctx.flush();
        }
    }

    /**
     * Connection-level events the codec and the multiplexer pass on. Once the preface is out, the connection's receive
     * window grows to {@link #CONNECTION_WINDOW}. The backend's first SETTINGS make the connection ready. GOAWAY
     * retires the connection (streams above its last stream id are failed by the multiplexer, and a retried exchange
     * opens a new connection). Other frames are released.
     */
    private static final class ConnectionFrames extends ChannelInboundHandlerAdapter {
        private final Http2Upstream upstream;

        ConnectionFrames(Http2Upstream upstream) {
            this.upstream = upstream;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ConnectionPrefaceAndSettingsFrameWrittenEvent) {
                final Http2Connection connection = upstream.codec.connection();
                final int grow = CONNECTION_WINDOW
                        - connection.local().flowController().windowSize(connection.connectionStream());
                if (grow > 0) {
                    ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(grow));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame) {
                upstream.becomeReady();
            } else if (msg instanceof Http2GoAwayFrame) {
                upstream.retire();
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
