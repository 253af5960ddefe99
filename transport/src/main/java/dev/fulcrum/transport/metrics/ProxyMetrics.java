package dev.fulcrum.transport.metrics;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.resilience.CircuitBreakers;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's metrics: where event loops record, and what {@code /metrics} renders.
 *
 * <p>Thread-safe. Event loops call {@link #forBackend}, {@link #forPool} and {@link #unrouted} (lock-free map reads,
 * no allocation) and record into the returned {@link RequestMetrics} with their stripe ({@link #stripeOf}). The
 * control thread calls {@link #sync} after every routing change (start, reload, admin edits) so that every backend
 * and location has its counters before traffic reaches it; counters are keyed by their labels, so a backend that
 * survives a reload keeps counting where it was. A backend seen before its sync (a request racing an admin add)
 * records into {@link #unattributed()}.
 */
public final class ProxyMetrics {
    private final int stripes;
    private final Map<Object, Integer> stripeByLoop;
    private final ConcurrentHashMap<BackendState, RequestMetrics> byBackend = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServerPool, RequestMetrics> byPool = new ConcurrentHashMap<>();
    /** Control thread only: every label set ever synced and still present, by "service\0location\0backend". */
    private final Map<String, RequestMetrics> byLabels = new HashMap<>();
    private final RequestMetrics unrouted;
    private final RequestMetrics unattributed;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile RoutingTable routing;
    private volatile CircuitBreakers breakers = CircuitBreakers.NONE;

    /**
     * @param loops the server's event loops; each gets its own stripe. Threads that are not among them record
     *              through an atomic shared stripe.
     */
    public ProxyMetrics(List<?> loops) {
        this.stripes = loops.size();
        final Map<Object, Integer> map = new HashMap<>();
        for (int i = 0; i < loops.size(); i++) {
            map.put(loops.get(i), i);
        }
        this.stripeByLoop = Map.copyOf(map);
        this.unrouted = new RequestMetrics("", "", RequestMetrics.NO_BACKEND, stripes);
        this.unattributed = new RequestMetrics("", "", "unknown", stripes);
        registry.register(new RequestMetricsCollector(this));
    }

    /** The registry {@code /metrics} scrapes; transport gauges are registered on it by the server. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The stripe an event loop records into; {@link StripedCounters#SHARED_STRIPE} for any other thread. */
    public int stripeOf(Object eventLoop) {
        final Integer stripe = stripeByLoop.get(eventLoop);
        return stripe == null ? StripedCounters.SHARED_STRIPE : stripe;
    }

    /** The counters of a backend; never null. Lock-free, allocation-free. */
    public RequestMetrics forBackend(BackendState backend) {
        final RequestMetrics metrics = byBackend.get(backend);
        return metrics == null ? unattributed : metrics;
    }

    /** The counters of a location's responses that no backend produced; never null. */
    public RequestMetrics forPool(ServerPool pool) {
        final RequestMetrics metrics = byPool.get(pool);
        return metrics == null ? unattributed : metrics;
    }

    /** Responses to requests that matched no service or location. */
    public RequestMetrics unrouted() {
        return unrouted;
    }

    public RequestMetrics unattributed() {
        return unattributed;
    }

    /**
     * Control thread: makes every location and backend of {@code table} countable and forgets the ones gone.
     * Counters of label sets that stay are kept.
     */
    public void sync(RoutingTable table) {
        final Map<String, RequestMetrics> keep = new HashMap<>();
        final Map<BackendState, RequestMetrics> backends = new HashMap<>();
        final Map<ServerPool, RequestMetrics> pools = new HashMap<>();
        for (Location location : table.locations()) {
            final ServerPool pool = location.pool();
            pools.put(pool, labelled(keep, location, RequestMetrics.NO_BACKEND));
            final BackendSnapshot snapshot = pool.snapshot();
            for (int i = 0; i < snapshot.size(); i++) {
                final BackendState state = snapshot.state(i);
                backends.put(state, labelled(keep, location, state.address().url()));
            }
        }
        byBackend.putAll(backends);
        byBackend.keySet().retainAll(backends.keySet());
        byPool.putAll(pools);
        byPool.keySet().retainAll(pools.keySet());
        byLabels.clear();
        byLabels.putAll(keep);
        routing = table;
    }

    private RequestMetrics labelled(Map<String, RequestMetrics> keep, Location location, String backend) {
        final String key = location.serviceName() + '\0' + location.path() + '\0' + backend;
        RequestMetrics metrics = keep.get(key);
        if (metrics == null) {
            metrics = byLabels.get(key);
            if (metrics == null) {
                metrics = new RequestMetrics(location.serviceName(), location.path(), backend, stripes);
            }
            keep.put(key, metrics);
        }
        return metrics;
    }

    /** The routing table of the last {@link #sync}, for the live gauges; null before the first. */
    RoutingTable routing() {
        return routing;
    }

    /** Control thread: the circuit breakers in force, whose states the scrape reports. */
    public void breakers(CircuitBreakers next) {
        this.breakers = next;
    }

    CircuitBreakers breakers() {
        return breakers;
    }

    /** Every label set, with the unrouted and unattributed ones. Thread-safe snapshot for the scrape. */
    List<RequestMetrics> all() {
        final Set<RequestMetrics> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(byPool.values());
        all.addAll(byBackend.values());
        all.add(unrouted);
        all.add(unattributed);
        return List.copyOf(all);
    }

    /** Renders every metric in the Prometheus text format (version 0.0.4). */
    public byte[] scrapeText() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The Content-Type of {@link #scrapeText()}. */
    public String contentType() {
        return writer.getContentType();
    }
}
