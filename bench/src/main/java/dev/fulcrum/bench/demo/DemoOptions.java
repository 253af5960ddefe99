package dev.fulcrum.bench.demo;

import java.util.concurrent.TimeUnit;

/**
 * What one demo run does.
 *
 * <p>Immutable.
 *
 * @param durationNanos   measured load phase
 * @param warmupNanos     load before measuring (JIT, connection set-up); not counted
 * @param connections     keep-alive client connections, each with one request in flight
 * @param algorithm       load-balancing algorithm name or alias
 * @param transport       proxy transport: auto, io_uring, epoll or nio
 * @param proxyIoThreads  proxy event loops; 0 for one per core
 */
public record DemoOptions(long durationNanos, long warmupNanos, int connections, String algorithm, String transport,
                          int proxyIoThreads) {
    /** Long enough for a few hundred thousand requests and a stable p99 on a laptop. */
    public static final long DEFAULT_DURATION_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Enough for C2 to compile the forwarding path before anything is recorded. */
    public static final long DEFAULT_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Several connections per proxy event loop, few enough that a 2-core box is not saturated by the client. */
    public static final int DEFAULT_CONNECTIONS = 16;
    public static final String DEFAULT_ALGORITHM = "round-robin";

    public DemoOptions {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (warmupNanos < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1: " + connections);
        }
        if (proxyIoThreads < 0) {
            throw new IllegalArgumentException("--io-threads must not be negative: " + proxyIoThreads);
        }
    }
}
