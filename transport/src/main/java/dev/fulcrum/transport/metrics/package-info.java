/**
 * Proxy metrics for Prometheus: per service, location and backend request counts by status class, retries and
 * upstream latency histograms, plus live gauges (in-flight, health, connections, buffer allocator) read at scrape
 * time.
 *
 * <p>Threading: event loops write their own stripe of each counter block with plain (opaque) stores, so the request
 * path takes no lock, does no CAS and allocates nothing; the scrape thread sums the stripes. The map from backends
 * to their counter blocks is maintained by the control thread ({@link dev.fulcrum.transport.metrics.ProxyMetrics#sync}).
 */
package dev.fulcrum.transport.metrics;
