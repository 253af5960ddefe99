package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.resilience.CircuitBreakers;
import dev.fulcrum.core.resilience.RateLimiters;
import dev.fulcrum.core.resilience.RetryBudgets;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.accesslog.AccessLog;
import dev.fulcrum.transport.metrics.ProxyMetrics;
import dev.fulcrum.transport.upstream.UpstreamPool;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a client connection's handler needs, shared by all connections of one server.
 *
 * <p>Thread-safe: immutable apart from the routing table and the resilience state built for it (breakers, rate
 * limiters, retry budgets; each replaced by one volatile write on reload) and the draining flag. The per-loop upstream pools are created before the first connection is accepted and the map is
 * never changed after that.
 */
public final class ProxyContext {
    private final FulcrumConfig config;
    private final ProxyHeaders proxyHeaders;
    private final Map<EventLoop, UpstreamPool> poolsByLoop;
    private final ChannelGroup clientChannels;
    private final AtomicLong connectionIds = new AtomicLong();
    private final long requestHeaderTimeoutNanos;
    private final long responseTimeoutNanos;
    private final long clientIdleTimeoutNanos;
    private final long upstreamIdleTimeoutNanos;
    private final long timerTickNanos;
    private volatile CircuitBreakers circuitBreakers;
    private volatile RateLimiters rateLimiters;
    private volatile RetryBudgets retryBudgets;
    private final long perTryTimeoutNanos;
    private volatile RoutingTable routing;
    /** The resilience settings the current routing table was built with (control thread writes, anyone reads). */
    private volatile ResilienceConfig resilience;
    private volatile boolean draining;
    private final ProxyMetrics metrics;
    private volatile AccessLog accessLog = AccessLog.DISABLED;

    public ProxyContext(FulcrumConfig config, RoutingTable routing, Map<EventLoop, UpstreamPool> poolsByLoop,
                        ChannelGroup clientChannels) {
        this.config = config;
        this.routing = routing;
        this.resilience = config.resilience();
        this.proxyHeaders = new ProxyHeaders(config.proxyHeaders());
        this.circuitBreakers = CircuitBreakers.build(routing, config.resilience());
        this.rateLimiters = RateLimiters.build(routing, config.resilience());
        this.retryBudgets = RetryBudgets.build(routing, config.resilience().retryBudget());
        this.perTryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(retryBudgets.perTryTimeoutMillis());
        this.poolsByLoop = Map.copyOf(poolsByLoop);
        this.clientChannels = clientChannels;
        this.requestHeaderTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.timeouts().requestHeaderTimeoutMillis());
        this.responseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.timeouts().responseTimeoutMillis());
        this.clientIdleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.timeouts().clientIdleTimeoutMillis());
        this.upstreamIdleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.timeouts().upstreamIdleTimeoutMillis());
        // One periodic check per connection enforces all the deadlines; a tick of half the shortest timeout bounds
        // the lateness of any of them, and 1 s caps it for long timeouts.
        long shortest = Math.min(Math.min(requestHeaderTimeoutNanos, upstreamIdleTimeoutNanos),
                Math.min(responseTimeoutNanos, clientIdleTimeoutNanos));
        if (perTryTimeoutNanos > 0) {
            shortest = Math.min(shortest, perTryTimeoutNanos);
        }
        this.timerTickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 2));
        this.metrics = new ProxyMetrics(new ArrayList<>(poolsByLoop.keySet()));
        metrics.sync(routing);
        metrics.breakers(circuitBreakers);
    }

    public FulcrumConfig config() {
        return config;
    }

    public RoutingTable routing() {
        return routing;
    }

    /**
     * Swaps the routing table; in-flight exchanges keep the location they resolved. Control thread only: metrics
     * learn the new locations and backends before the table is published.
     */
    public void routing(RoutingTable next) {
        metrics.sync(next);
        this.routing = next;
    }

    /**
     * Reload: swaps the routing table together with the circuit breakers, rate limiters and retry budgets built
     * for it from {@code resilience}. What stays keeps its state (an open circuit stays open, a client's bucket stays
     * as empty as it was, retries in progress stay counted); what is new starts fresh; what is gone is dropped. The
     * resilience state is published before the table, and maps the previous table's locations too, so a request
     * never finds a location without its limiter or budget. The per-try timeout is fixed at start. Control thread
     * only.
     */
    public void routing(RoutingTable next, ResilienceConfig resilience) {
        final RoutingTable previous = routing;
        this.resilience = resilience;
        final CircuitBreakers breakers = CircuitBreakers.build(next, resilience, circuitBreakers);
        this.rateLimiters = RateLimiters.build(next, resilience, previous, rateLimiters);
        this.retryBudgets = RetryBudgets.build(next, resilience.retryBudget(), previous, retryBudgets);
        this.circuitBreakers = breakers;
        metrics.breakers(breakers);
        routing(next);
    }

    /**
     * The admin API added or removed backends of the current table: rebuilds the circuit breakers (the backends that
     * stay keep theirs, an added one gets its service's, a removed one's is dropped) and the metrics' label sets.
     * Rate limiters and retry budgets belong to locations, which did not change. Control thread only.
     */
    public void backendsChanged() {
        final RoutingTable current = routing;
        final CircuitBreakers breakers = CircuitBreakers.build(current, resilience, circuitBreakers);
        this.circuitBreakers = breakers;
        metrics.breakers(breakers);
        metrics.sync(current);
    }

    /** The resilience settings in force (the start config's, or the last reload's). */
    public ResilienceConfig resilience() {
        return resilience;
    }

    /** Retry budgets of the current routing table's pools. */
    public RetryBudgets retryBudgets() {
        return retryBudgets;
    }

    /** 0 when tries have no timeout of their own. */
    long perTryTimeoutNanos() {
        return perTryTimeoutNanos;
    }

    /** Per-client rate limiters of the current routing table's locations. */
    public RateLimiters rateLimiters() {
        return rateLimiters;
    }

    /** Per-backend circuit breakers of the current routing table. */
    public CircuitBreakers circuitBreakers() {
        return circuitBreakers;
    }

    /** Request counters and latency histograms; see {@link ProxyMetrics}. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** The access log in force (replaced on reload). */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** Control thread: installs access log settings. */
    public void accessLog(AccessLog next) {
        this.accessLog = next;
    }

    public ProxyHeaders proxyHeaders() {
        return proxyHeaders;
    }

    /** The upstream pool owned by {@code loop}. */
    public UpstreamPool pool(EventLoop loop) {
        final UpstreamPool pool = poolsByLoop.get(loop);
        if (pool == null) {
            throw new IllegalStateException("no upstream pool for event loop " + loop);
        }
        return pool;
    }

    public Map<EventLoop, UpstreamPool> pools() {
        return poolsByLoop;
    }

    public ChannelGroup clientChannels() {
        return clientChannels;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    long requestHeaderTimeoutNanos() {
        return requestHeaderTimeoutNanos;
    }

    long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    long clientIdleTimeoutNanos() {
        return clientIdleTimeoutNanos;
    }

    long upstreamIdleTimeoutNanos() {
        return upstreamIdleTimeoutNanos;
    }

    long timerTickNanos() {
        return timerTickNanos;
    }

    public boolean isDraining() {
        return draining;
    }

    /** From now on every response closes its connection and idle connections are closed. */
    public void startDraining() {
        draining = true;
    }
}
