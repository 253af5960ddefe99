/**
 * JMH suites for the per-request resilience decisions in {@code core.resilience}: the circuit breaker's admission
 * and outcome, and the per-client rate limiter. Run with {@code -prof gc} (expect about 0 B/op) and {@code -t 1}
 * and {@code -t 2}.
 */
package dev.fulcrum.bench.jmh.resilience;
