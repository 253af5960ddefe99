package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.health.HealthChecker;
import dev.fulcrum.transport.io.TransportChooser;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.metrics.TransportGauges;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.proxy.ProxyExchangeHandler;
import dev.fulcrum.transport.proxy.ProxyPipeline;
import dev.fulcrum.transport.tls.ServerTls;
import dev.fulcrum.transport.tls.UpstreamTls;
import dev.fulcrum.transport.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running Fulcrum proxy: the event loops, one listener per configured port, and the upstream pools.
 *
 * <p>Started and stopped by one control thread. {@link #drainAndStop(long)} stops accepting, lets in-flight
 * requests finish up to a deadline, then closes everything.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    private static final long DRAIN_POLL_MILLIS = 20;

    private final FulcrumConfig config;
    private final TransportKind transport;
    private final EventLoopGroup group;
    private final ProxyContext context;
    private final List<Channel> listeners;
    private final int ioThreads;
    private HealthChecker health;
    /** Null until some pool has slow start on. */
    private SlowStartTicker slowStart;
    private ServerTls tls;
    private final ServerBootstrap bootstrap;
    private boolean stopped;

    private ProxyServer(FulcrumConfig config, TransportKind transport, EventLoopGroup group, ProxyContext context,
                        List<Channel> listeners, int ioThreads, ServerBootstrap bootstrap) {
        this.bootstrap = bootstrap;
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.context = context;
        this.listeners = listeners;
        this.ioThreads = ioThreads;
    }

    /**
     * Starts the proxy and binds every listener.
     *
     * @throws InterruptedException if interrupted while binding
     * @throws io.netty.channel.ChannelException or an IOException subclass if a port cannot be bound
     */
    public static ProxyServer start(FulcrumConfig config) throws InterruptedException {
        final TransportKind transport = TransportChooser.choose(config.transport());
        final int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        HealthChecker health = null;
        try {
            final Map<EventLoop, UpstreamPool> pools = new HashMap<>();
            final long upstreamIdleNanos = TimeUnit.MILLISECONDS.toNanos(config.connectionPool().idleTimeoutMillis());
            final UpstreamTls upstreamTls = new UpstreamTls(config.timeouts().connectTimeoutMillis());
            for (EventExecutor executor : group) {
                final EventLoop loop = (EventLoop) executor;
                pools.put(loop, new UpstreamPool(loop, transport.socketChannelClass(),
                        (int) Math.min(Integer.MAX_VALUE, config.timeouts().connectTimeoutMillis()),
                        config.connectionPool().maxIdlePerBackend(), upstreamIdleNanos,
                        config.limits().maxHeaderBytes(), upstreamTls));
            }
            final ChannelGroup clients = new DefaultChannelGroup("fulcrum-clients", GlobalEventExecutor.INSTANCE);
            final ProxyContext context = new ProxyContext(config, RoutingTable.build(config), pools, clients);
            followUpstreamTls(upstreamTls, context);
            // Before binding: backends checked before traffic are out of rotation until their first probe passes.
            health = HealthChecker.create(context.routing(), config.resilience(), group,
                    transport.socketChannelClass(), context.metrics(), upstreamTls);
            health.start();
            final ServerTls tls = ServerTls.build(config, ProxyPipeline.ALPN_PROTOCOLS);
            final ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .childHandler(new ClientChannelInitializer(context, tls));
            final List<Channel> listeners = new ArrayList<>();
            for (int port : context.routing().ports()) {
                listeners.add(bootstrap.bind(config.bindHost(), port).sync().channel());
            }
            TransportGauges.register(context.metrics().registry(), clients, group, transport.configName());
            final ProxyServer server = new ProxyServer(config, transport, group, context, listeners, threads,
                    bootstrap);
            server.health = health;
            server.tls = tls;
            server.slowStart = SlowStartTicker.startIfConfigured(context);
            LOG.info("buffer allocator {}", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
            for (String warning : config.warnings()) {
                LOG.warn("config: {}", warning);
            }
            return server;
        } catch (InterruptedException | RuntimeException e) {
            if (health != null) {
                health.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Upstream TLS reads backend settings from the live routing table (reloads included); a bad CA file fails here. */
    private static void followUpstreamTls(UpstreamTls upstreamTls, ProxyContext context) {
        try {
            upstreamTls.follow(context::routing);
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("backend TLS: " + e.getMessage(), e);
        }
    }

    public TransportKind transport() {
        return transport;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public ProxyContext context() {
        return context;
    }

    /** The active health checker (with no targets when no backend has a health check). */
    public HealthChecker health() {
        return health;
    }

    /**
     * Reload support: publishes a new routing table with the resilience state it needs. Health checks are rebuilt
     * first (new backends checked before traffic are out of rotation before anyone can route to them, removed
     * backends are no longer probed), then breakers, rate limiters and retry budgets are built and the table is
     * swapped (see {@link ProxyContext#routing(RoutingTable, ResilienceConfig)}), then slow start gets its ticker if
     * the table turned it on. Control thread only.
     */
    public synchronized void applyRouting(RoutingTable table, ResilienceConfig resilience) {
        if (stopped) {
            return;
        }
        health.reconcile(table, resilience);
        context.routing(table, resilience);
        if (slowStart == null) {
            slowStart = SlowStartTicker.startIfConfigured(context);
        }
    }

    /**
     * The admin API added or removed backends of the published routing table: the health checker and the circuit
     * breakers catch up now, as a reload would make them (probes start or stop, breakers appear or go). Control
     * thread only.
     */
    public synchronized void backendsChanged() {
        if (stopped) {
            return;
        }
        health.reconcile(context.routing(), context.resilience());
        context.backendsChanged();
    }

    /**
     * Reload support: binds listeners for ports newly in {@code ports} and closes those no longer in it (their open
     * connections stay and finish). Control thread only.
     *
     * @throws InterruptedException when interrupted while binding
     * @throws io.netty.channel.ChannelException (and no change) when a new port cannot be bound
     */
    public synchronized void syncListeners(java.util.Set<Integer> ports) throws InterruptedException {
        if (stopped) {
            return;
        }
        final java.util.Set<Integer> bound = new java.util.TreeSet<>();
        for (Channel listener : listeners) {
            bound.add(((InetSocketAddress) listener.localAddress()).getPort());
        }
        final List<Channel> added = new ArrayList<>();
        try {
            for (int port : ports) {
                if (!bound.contains(port)) {
                    added.add(bootstrap.bind(config.bindHost(), port).sync().channel());
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            for (Channel channel : added) {
                channel.close();
            }
            throw e;
        }
        for (java.util.Iterator<Channel> it = listeners.iterator(); it.hasNext(); ) {
            final Channel listener = it.next();
            if (!ports.contains(((InetSocketAddress) listener.localAddress()).getPort())) {
                listener.close().syncUninterruptibly();
                it.remove();
            }
        }
        listeners.addAll(added);
    }

    /** The bound listener addresses, in port order. */
    public synchronized List<InetSocketAddress> addresses() {
        final List<InetSocketAddress> out = new ArrayList<>();
        for (Channel listener : listeners) {
            out.add((InetSocketAddress) listener.localAddress());
        }
        return out;
    }

    /** One line for operators and scripts: every listening address and the transport. */
    public String readyLine() {
        final StringBuilder line = new StringBuilder("fulcrum ready: listening on");
        for (InetSocketAddress address : addresses()) {
            // A wildcard bind reads back as "::" on dual-stack sockets; show what was configured instead.
            final String host = address.getAddress() != null && address.getAddress().isAnyLocalAddress()
                    ? config.bindHost() : address.getHostString();
            line.append(' ').append(host).append(':').append(address.getPort());
        }
        return line.append(" (transport ").append(transport.configName()).append(", ").append(ioThreads)
                .append(" io threads)").toString();
    }

    /**
     * Stops accepting, answers in-flight requests, waits up to {@code deadlineMillis} for them, then closes
     * everything. Idempotent.
     *
     * @return the number of requests still in flight when the deadline passed (0 on a clean drain)
     */
    public synchronized int drainAndStop(long deadlineMillis) {
        if (stopped) {
            return 0;
        }
        stopped = true;
        health.close();
        if (tls != null) {
            tls.close();
        }
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        context.startDraining();
        for (Channel client : context.clientChannels()) {
            final ProxyExchangeHandler handler = (ProxyExchangeHandler) client.pipeline().get(ProxyPipeline.EXCHANGE);
            if (handler != null) {
                client.eventLoop().execute(handler::closeIfIdle);
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        int busy = countBusy();
        while (busy > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            busy = countBusy();
        }
        if (busy > 0) {
            LOG.warn("drain deadline of {} ms passed with {} requests in flight; closing them", deadlineMillis, busy);
        }
        context.clientChannels().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        for (Map.Entry<EventLoop, UpstreamPool> entry : context.pools().entrySet()) {
            final UpstreamPool pool = entry.getValue();
            entry.getKey().execute(pool::closeAll);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        return busy;
    }

    private int countBusy() {
        int busy = 0;
        for (Channel client : context.clientChannels()) {
            final ProxyExchangeHandler handler = (ProxyExchangeHandler) client.pipeline().get(ProxyPipeline.EXCHANGE);
            if (handler != null && handler.isBusy()) {
                busy++;
            }
        }
        return busy;
    }

    @Override
    public void close() {
        drainAndStop(config.timeouts().drainTimeoutMillis());
    }
}
