package dev.fulcrum.bench.loadgen;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one load run does.
 *
 * <p>Immutable.
 *
 * @param targets          one or more {@code http://host:port/path} URLs; connection {@code i} uses target
 *                         {@code i % targets.size()}
 * @param method           request method (GET, POST, ...)
 * @param headers          extra request headers, in order (Host is derived from the URL unless given)
 * @param body             request body, empty for none
 * @param ratePerSecond    requests per second over all connections; {@link #CLOSED_LOOP} for as fast as possible
 * @param connections      keep-alive connections, one request in flight each
 * @param threads          event loops the connections are spread over
 * @param durationNanos    measured phase
 * @param warmupNanos      load before measuring; the recording is reset when it ends
 * @param timeoutNanos     a response not complete this long after its send counts as a timeout (connection closed)
 * @param transport        auto, io_uring, epoll or nio
 * @param sourceAddresses  local addresses to bind connections to, connection {@code i} uses entry
 *                         {@code i % size}; empty for the system's choice
 */
public record LoadgenOptions(List<URI> targets, String method, List<Map.Entry<String, String>> headers, byte[] body,
                             double ratePerSecond, int connections, int threads, long durationNanos, long warmupNanos,
                             long timeoutNanos, String transport, List<String> sourceAddresses) {
    /** The rate that means "closed loop": each connection sends its next request when the previous one completes. */
    public static final double CLOSED_LOOP = 0;
    public static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    public LoadgenOptions {
        targets = List.copyOf(targets);
        headers = List.copyOf(headers);
        sourceAddresses = List.copyOf(sourceAddresses);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target URL is needed");
        }
        for (URI target : targets) {
            if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
                throw new IllegalArgumentException("target must be an http://host[:port]/path URL: " + target);
            }
        }
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be a positive number or 'max': " + ratePerSecond);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1: " + connections);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + threads);
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (warmupNanos < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        if (ratePerSecond > 0 && ratePerSecond < connections / 3600.0) {
            throw new IllegalArgumentException("--rate " + ratePerSecond + " gives each of " + connections
                    + " connections less than one request an hour");
        }
    }

    /** Options for a plain GET run with defaults for everything but the target, rate and size. */
    public static LoadgenOptions get(List<URI> targets, double ratePerSecond, int connections, int threads,
                                     long durationNanos, long warmupNanos) {
        return new LoadgenOptions(targets, "GET", List.of(), new byte[0], ratePerSecond, connections, threads,
                durationNanos, warmupNanos, DEFAULT_TIMEOUT_NANOS, "auto", List.of());
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    /** Time between two sends of one connection in open loop. */
    public long connectionIntervalNanos() {
        return openLoop() ? Math.round(connections * 1e9 / ratePerSecond) : 0;
    }
}
