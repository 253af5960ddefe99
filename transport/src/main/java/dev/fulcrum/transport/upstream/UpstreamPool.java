package dev.fulcrum.transport.upstream;

import dev.fulcrum.algorithms.snapshot.BackendState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import dev.fulcrum.core.config.BackendProtocol;
import dev.fulcrum.transport.tls.UpstreamTls;
import org.agrona.collections.Object2ObjectHashMap;
import org.agrona.collections.ObjectHashSet;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to every backend, for one event loop.
 *
 * <p>Confined to its event loop: every method must be called from {@link #eventLoop()}. Idle connections are kept
 * most-recently-used first (warm sockets, and the oldest ones at the tail age out), at most
 * {@code maxIdlePerBackend} per backend, and closed after {@code idleTimeoutNanos} without use.
 */
public final class UpstreamPool {
    /** Name of the HTTP codec in an upstream pipeline. */
    public static final String CODEC = "http-client-codec";
    /** Name of the {@link UpstreamConnection} in an upstream pipeline. */
    public static final String HANDLER = "upstream";

    private final EventLoop eventLoop;
    private final UpstreamConnector connector;
    private final int maxIdlePerBackend;
    private final long idleTimeoutNanos;
    /** TLS for https backends; null when the pool only opens plain connections (benchmark rigs). */
    private final UpstreamTls tls;
    // Agrona's open-addressing map: no Entry object per put, and get() does not allocate. Keys are identity-equal
    // BackendState objects, which live as long as the backend is configured.
    private final Object2ObjectHashMap<BackendState, ArrayDeque<UpstreamConnection>> idleByBackend =
            new Object2ObjectHashMap<>();
    private final Object2ObjectHashMap<BackendState, InetSocketAddress> addressByBackend =
            new Object2ObjectHashMap<>();
    /**
     * The HTTP/2 connection taking new streams for each backend that speaks HTTP/2 ({@code protocol: h2/h2c}, or
     * {@code auto} when the backend chose h2); streams are opened on it per exchange.
     */
    private final Object2ObjectHashMap<BackendState, Http2Upstream> http2ByBackend = new Object2ObjectHashMap<>();
    /** The first new connection to each {@code auto} backend whose ALPN choice is not known yet. */
    private final Object2ObjectHashMap<BackendState, ConnectOutcome> alpnProbes = new Object2ObjectHashMap<>();
    /** {@code auto} backends whose last new connection chose HTTP/1.1: connections open in parallel as usual. */
    private final ObjectHashSet<BackendState> choseHttp1 = new ObjectHashSet<>();
    private ScheduledFuture<?> sweeper;
    private int idleCount;

    /**
     * @param eventLoop          the loop that owns this pool and every connection in it
     * @param channelClass       the transport's socket channel class
     * @param connectTimeoutMillis TCP connect timeout
     * @param maxIdlePerBackend  idle connections kept per backend
     * @param idleTimeoutNanos   how long an idle connection may wait for reuse
     * @param maxHeaderBytes     largest response header section accepted from a backend
     */
    public UpstreamPool(EventLoop eventLoop, Class<? extends SocketChannel> channelClass, int connectTimeoutMillis,
                        int maxIdlePerBackend, long idleTimeoutNanos, int maxHeaderBytes) {
        this(eventLoop, channelClass, connectTimeoutMillis, maxIdlePerBackend, idleTimeoutNanos, maxHeaderBytes,
                null);
    }

    /**
     * As above, with {@code tls} for {@code https://} backends: their connections complete only after the TLS
     * handshake, and stay pooled with their TLS session.
     */
    public UpstreamPool(EventLoop eventLoop, Class<? extends SocketChannel> channelClass, int connectTimeoutMillis,
                        int maxIdlePerBackend, long idleTimeoutNanos, int maxHeaderBytes, UpstreamTls tls) {
        this(eventLoop, bootstrapConnector(eventLoop, channelClass, connectTimeoutMillis, maxHeaderBytes),
                maxIdlePerBackend, idleTimeoutNanos, tls);
    }

    /**
     * The full constructor: tests and benchmarks pass their own {@link UpstreamConnector}.
     *
     * @param eventLoop          the loop that owns this pool and every connection in it
     * @param connector          opens new connections; see {@link UpstreamConnector} for its contract
     * @param maxIdlePerBackend  idle connections kept per backend
     * @param idleTimeoutNanos   how long an idle connection may wait for reuse
     */
    public UpstreamPool(EventLoop eventLoop, UpstreamConnector connector, int maxIdlePerBackend,
                        long idleTimeoutNanos) {
        this(eventLoop, connector, maxIdlePerBackend, idleTimeoutNanos, null);
    }

    private UpstreamPool(EventLoop eventLoop, UpstreamConnector connector, int maxIdlePerBackend,
                         long idleTimeoutNanos, UpstreamTls tls) {
        this.eventLoop = eventLoop;
        this.connector = connector;
        this.maxIdlePerBackend = maxIdlePerBackend;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.tls = tls;
    }

    /** The default connector: a TCP connect on {@code eventLoop} with the upstream socket options. */
    private static UpstreamConnector bootstrapConnector(EventLoop eventLoop, Class<? extends SocketChannel> channelClass,
                                                        int connectTimeoutMillis, int maxHeaderBytes) {
        final Bootstrap bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(CODEC, newCodec(maxHeaderBytes));
                    }
                });
        return bootstrap::connect;
    }

    /** The HTTP/1.1 client codec every upstream pipeline uses, named {@link #CODEC}. */
    public static HttpClientCodec newCodec(int maxHeaderBytes) {
        final HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024);
        return new HttpClientCodec(decoder, false, false);
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    /**
     * Takes the most recently used idle connection to {@code backend}, or null when none is idle.
     * Connections the backend closed meanwhile have already removed themselves.
     */
    public UpstreamConnection pollIdle(BackendState backend) {
        final ArrayDeque<UpstreamConnection> idle = idleByBackend.get(backend);
        if (idle == null) {
            return null;
        }
        UpstreamConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            idleCount--;
            if (connection.channel().isActive()) {
                return connection;
            }
            connection.channel().close();
        }
        return null;
    }

    /**
     * A connection for one exchange with {@code backend}, on this pool's loop: a stream on the backend's HTTP/2
     * connection when it speaks HTTP/2, else a new HTTP/1.1 connection (TLS handshake done for https). The future
     * completes on the loop. A failed connection is already closed; a successful one is bound to nobody yet.
     *
     * @param http1Only the exchange needs HTTP/1.1 if the backend can speak it (an Upgrade request): an
     *                  {@code auto} backend is then offered http/1.1 only
     */
    public Future<UpstreamConnection> connect(BackendState backend, boolean http1Only) {
        InetSocketAddress address = addressByBackend.get(backend);
        if (address == null) {
            // Resolved once per backend per loop, not per connection: backends are configured by address or by
            // names that are expected to be stable for the pool's lifetime.
            address = new InetSocketAddress(backend.address().host(), backend.address().port());
            addressByBackend.put(backend, address);
        }
        final BackendProtocol protocol = tls == null ? BackendProtocol.HTTP1 : tls.protocolOf(backend.address());
        if (protocol.multiplexed()) {
            // Even for an Upgrade request: HTTP/2 has no Upgrade, so it goes as a plain request and the backend's
            // answer (anything but a 101) is relayed.
            return http2Connection(backend, address, protocol).openStream();
        }
        final boolean learnsAlpn = protocol == BackendProtocol.AUTO && !http1Only;
        if (learnsAlpn) {
            final Http2Upstream shared = http2ByBackend.get(backend);
            if (shared != null && shared.usable()) {
                return shared.openStream();
            }
            final ConnectOutcome probe = alpnProbes.get(backend);
            if (probe != null && !choseHttp1.contains(backend)) {
                // A burst of exchanges to a backend that may choose h2 waits for the first handshake instead of each
                // opening a connection that would be folded into one afterwards.
                return probe.await();
            }
        }
        final ChannelFuture future = connector.connect(address);
        final Channel channel = future.channel();
        final UpstreamConnection connection = new UpstreamConnection(this, backend, channel);
        channel.pipeline().addLast(HANDLER, connection);
        if (tls == null || !backend.address().secure()) {
            return new ConnectOutcome(this, backend, connection, future, false).promise;
        }
        final ChannelFuture handshake = UpstreamHandshake.start(future, tls, backend.address(), http1Only);
        final ConnectOutcome outcome = new ConnectOutcome(this, backend, connection, handshake, learnsAlpn);
        if (learnsAlpn && !alpnProbes.containsKey(backend)) {
            alpnProbes.put(backend, outcome);
        }
        return outcome.promise;
    }

    /**
     * What an {@code auto} backend chose on a new connection: h2 (the connection has been adopted), HTTP/1.1, or
     * nothing because the connection failed ({@code failure} not null). Exchanges that waited for the first
     * handshake now take a stream, open their own HTTP/1.1 connection, or fail with it.
     */
    void alpnLearned(BackendState backend, ConnectOutcome outcome, boolean h2, Throwable failure) {
        if (failure == null) {
            if (h2) {
                choseHttp1.remove(backend);
            } else {
                choseHttp1.add(backend);
            }
        }
        if (alpnProbes.get(backend) == outcome) {
            alpnProbes.remove(backend);
        }
        outcome.releaseWaiters(failure);
    }

    /** The HTTP/2 connection for new streams to {@code backend}, opening it first when there is none to use. */
    private Http2Upstream http2Connection(BackendState backend, InetSocketAddress address, BackendProtocol protocol) {
        Http2Upstream connection = http2ByBackend.get(backend);
        if (connection == null || !connection.usable()) {
            retire(connection);
            connection = Http2Upstream.start(this, backend, connector.connect(address),
                    protocol == BackendProtocol.H2 ? tls : null);
            if (connection.usable()) {
                http2ByBackend.put(backend, connection);
                startSweeper();
            }
        }
        return connection;
    }

    /**
     * An {@code auto} backend chose h2 on a connection opened as HTTP/1.1: that connection becomes the backend's
     * HTTP/2 connection, and the exchange that opened it gets its first stream.
     */
    Future<UpstreamConnection> adoptHttp2(BackendState backend, Channel channel) {
        retire(http2ByBackend.get(backend));
        final Http2Upstream connection = Http2Upstream.adopt(this, backend, channel);
        http2ByBackend.put(backend, connection);
        startSweeper();
        return connection.openStream();
    }

    private static void retire(Http2Upstream connection) {
        if (connection != null) {
            connection.retire();
        }
    }

    /** Called by an HTTP/2 connection that failed, closed or stopped taking streams: the next exchange opens another. */
    void forgetHttp2(BackendState backend, Http2Upstream connection) {
        if (http2ByBackend.get(backend) == connection) {
            http2ByBackend.remove(backend);
        }
    }

    /** Returns a connection whose exchange completed cleanly; closes it when the pool for its backend is full. */
    void offer(UpstreamConnection connection) {
        final BackendState backend = connection.backend();
        ArrayDeque<UpstreamConnection> idle = idleByBackend.get(backend);
        if (idle == null) {
            idle = new ArrayDeque<>(Math.min(maxIdlePerBackend, 16));
            idleByBackend.put(backend, idle);
        }
        if (idle.size() >= maxIdlePerBackend || !connection.channel().isActive()) {
            connection.channel().close();
            return;
        }
        connection.markIdle(System.nanoTime());
        idle.addFirst(connection);
        idleCount++;
        startSweeper();
    }

    private void startSweeper() {
        if (sweeper == null) {
            final long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100), idleTimeoutNanos / 4);
            sweeper = eventLoop.scheduleAtFixedRate(this::closeExpired, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Called by a connection that closed while idle. */
    void remove(UpstreamConnection connection) {
        final ArrayDeque<UpstreamConnection> idle = idleByBackend.get(connection.backend());
        if (idle != null && idle.remove(connection)) {
            idleCount--;
        }
    }

    /** Idle connections across all backends; for tests and metrics. */
    public int idleCount() {
        return idleCount;
    }

    private void closeExpired() {
        final long now = System.nanoTime();
        for (ArrayDeque<UpstreamConnection> idle : idleByBackend.values()) {
            UpstreamConnection oldest;
            while ((oldest = idle.peekLast()) != null && now - oldest.idleSinceNanos() >= idleTimeoutNanos) {
                idle.pollLast();
                idleCount--;
                oldest.channel().close();
            }
        }
        // An HTTP/2 connection without streams for idle_timeout closes too (also one to a backend a reload removed).
        List<Http2Upstream> expired = null;
        for (Http2Upstream connection : http2ByBackend.values()) {
            if (connection.idleFor(now, idleTimeoutNanos)) {
                if (expired == null) {
                    expired = new ArrayList<>(2);
                }
                expired.add(connection);
            }
        }
        if (expired != null) {
            for (Http2Upstream connection : expired) {
                connection.retire();
            }
        }
    }

    /** Closes every idle connection; used when the server stops. */
    public void closeAll() {
        for (ArrayDeque<UpstreamConnection> idle : idleByBackend.values()) {
            UpstreamConnection connection;
            while ((connection = idle.pollFirst()) != null) {
                connection.channel().close();
            }
        }
        idleCount = 0;
        for (Http2Upstream connection : new ArrayList<>(http2ByBackend.values())) {
            connection.parent().close();
        }
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }
}
