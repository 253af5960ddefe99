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
import io.netty.util.concurrent.ScheduledFuture;
import dev.fulcrum.transport.tls.UpstreamTls;
import org.agrona.collections.Object2ObjectHashMap;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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
     * Opens a new connection to {@code backend} on this pool's loop. The future completes on the loop; on success
     * the channel's pipeline ends with an {@link UpstreamConnection} named {@link #HANDLER}.
     */
    public ChannelFuture connect(BackendState backend) {
        InetSocketAddress address = addressByBackend.get(backend);
        if (address == null) {
            // Resolved once per backend per loop, not per connection: backends are configured by address or by
            // names that are expected to be stable for the pool's lifetime.
            address = new InetSocketAddress(backend.address().host(), backend.address().port());
            addressByBackend.put(backend, address);
        }
        final ChannelFuture future = connector.connect(address);
        final Channel channel = future.channel();
        channel.pipeline().addLast(HANDLER, new UpstreamConnection(this, backend, channel));
        if (tls != null && backend.address().secure()) {
            return UpstreamHandshake.start(future, tls, backend.address());
        }
        return future;
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
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }
}
