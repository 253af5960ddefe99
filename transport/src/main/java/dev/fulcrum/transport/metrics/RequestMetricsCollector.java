package dev.fulcrum.transport.metrics;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.resilience.CircuitBreaker;
import dev.fulcrum.core.resilience.CircuitBreakers;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Turns the striped counters and the backends' live state into Prometheus snapshots at scrape time.
 *
 * <p>Runs on the scrape thread; reads only (opaque reads of counters and backend state).
 */
final class RequestMetricsCollector implements MultiCollector {
    private static final String[] CLASS_LABELS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final ProxyMetrics metrics;

    RequestMetricsCollector(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        final CounterSnapshot.Builder requests = CounterSnapshot.builder().name("fulcrum_requests")
                .help("Responses sent to clients, by service, location, backend and status class");
        final CounterSnapshot.Builder retries = CounterSnapshot.builder().name("fulcrum_retries")
                .help("Failed tries of a backend that were retried on another one");
        final HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("fulcrum_upstream_latency_seconds")
                .help("Time from writing the request upstream to the end of the backend's response");
        final CounterSnapshot.Builder rateLimited = CounterSnapshot.builder().name("fulcrum_rate_limited")
                .help("Requests answered 429 by the location's per-client rate limiter");
        final CounterSnapshot.Builder budgetExhausted = CounterSnapshot.builder()
                .name("fulcrum_retry_budget_exhausted")
                .help("Retries not made because the location's retry budget was used up");
        final CounterSnapshot.Builder circuitRejected = CounterSnapshot.builder()
                .name("fulcrum_circuit_breaker_rejections")
                .help("Tries the backend's circuit breaker refused (open, or half-open with its probes taken)");
        final CounterSnapshot.Builder ejections = CounterSnapshot.builder().name("fulcrum_outlier_ejections")
                .help("Times outlier detection ejected the backend");
        final GaugeSnapshot.Builder ejected = GaugeSnapshot.builder().name("fulcrum_outlier_ejected")
                .help("1 while outlier detection holds the backend out of rotation, else 0");
        for (RequestMetrics m : metrics.all()) {
            final Labels labels = Labels.of("service", m.service(), "location", m.location(), "backend", m.backend());
            if (RequestMetrics.NO_BACKEND.equals(m.backend()) && !m.location().isEmpty()) {
                final Labels locationLabels = Labels.of("service", m.service(), "location", m.location());
                rateLimited.dataPoint(counter(locationLabels, m.rateLimited()));
                budgetExhausted.dataPoint(counter(locationLabels, m.retryBudgetExhausted()));
            }
            for (int cls = 1; cls <= RequestMetrics.CLASSES; cls++) {
                final long n = m.responses(cls);
                if (n > 0) {
                    requests.dataPoint(counter(labels.merge(Labels.of("code", CLASS_LABELS[cls - 1])), n));
                }
            }
            if (RequestMetrics.NO_BACKEND.equals(m.backend())) {
                continue;
            }
            retries.dataPoint(counter(labels, m.retries()));
            circuitRejected.dataPoint(counter(labels, m.circuitRejected()));
            ejections.dataPoint(counter(labels, m.ejections()));
            ejected.dataPoint(gauge(labels, m.ejectedNow()));
            latency.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(RequestMetrics.BUCKET_BOUNDS_SECONDS,
                            m.bucketCounts()))
                    .sum(m.latencySumSeconds()).build());
        }
        final GaugeSnapshot.Builder inFlight = GaugeSnapshot.builder().name("fulcrum_backend_in_flight")
                .help("Requests currently sent to the backend and not yet answered");
        final GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("fulcrum_backend_up")
                .help("1 when the backend is alive and not drained, else 0");
        final GaugeSnapshot.Builder ewma = GaugeSnapshot.builder().name("fulcrum_backend_latency_ewma_seconds")
                .help("Latency average kept by latency-aware algorithms (0 for the others)");
        final CounterSnapshot.Builder failures = CounterSnapshot.builder().name("fulcrum_backend_failures")
                .help("Upstream failures (connect errors, resets, timeouts) charged to the backend");
        final GaugeSnapshot.Builder circuitState = GaugeSnapshot.builder().name("fulcrum_circuit_breaker_state")
                .help("The backend's circuit: 0 closed, 1 open, 2 half-open (only backends with a breaker)");
        final CounterSnapshot.Builder circuitOpened = CounterSnapshot.builder().name("fulcrum_circuit_breaker_opened")
                .help("Times the backend's circuit opened");
        final CircuitBreakers breakers = metrics.breakers();
        final RoutingTable routing = metrics.routing();
        if (routing != null) {
            for (Location location : routing.locations()) {
                final BackendSnapshot snapshot = location.pool().snapshot();
                for (int i = 0; i < snapshot.size(); i++) {
                    final BackendState state = snapshot.state(i);
                    final Labels labels = Labels.of("service", location.serviceName(), "location", location.path(),
                            "backend", state.address().url());
                    inFlight.dataPoint(gauge(labels, state.inFlightOpaque()));
                    up.dataPoint(gauge(labels, state.isAliveOpaque() && snapshot.weight(i) > 0 ? 1 : 0));
                    ewma.dataPoint(gauge(labels, state.latencyEwmaNanosOpaque() / 1e9));
                    failures.dataPoint(counter(labels, state.failuresOpaque()));
                    final CircuitBreaker breaker = breakers.get(state);
                    if (breaker != null) {
                        circuitState.dataPoint(gauge(labels, breaker.state()));
                        circuitOpened.dataPoint(counter(labels, breaker.tripsOpaque()));
                    }
                }
            }
        }
        return MetricSnapshots.of(requests.build(), retries.build(), latency.build(), inFlight.build(), up.build(),
                ewma.build(), failures.build(), rateLimited.build(), budgetExhausted.build(), circuitRejected.build(),
                ejections.build(), ejected.build(), circuitState.build(), circuitOpened.build());
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, double value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
