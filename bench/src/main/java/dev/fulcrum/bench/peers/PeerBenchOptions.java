package dev.fulcrum.bench.peers;

import java.util.List;

/**
 * What one comparison runs.
 *
 * @param proxies          proxies to compare, in report order
 * @param payloads         response sizes, each measured for every proxy
 * @param connections      load generator keep-alive connections
 * @param durationNanos    measured phase of each load run (at least 2 s: the CPU window starts after its first second)
 * @param warmupNanos      load before each measured phase
 * @param fixedRate        requests per second of the optional open-loop run; 0 for closed loop only
 * @param proxyCpu         core the proxy runs on
 * @param loadCpu          core the load generator and the origins run on
 * @param fulcrumWarmupSeconds  {@code run --warmup} of the Fulcrum child (JIT warm-up before it listens)
 * @param readyTimeoutSeconds   how long a proxy may take to answer its first probe
 */
public record PeerBenchOptions(List<PeerKind> proxies, List<Payload> payloads, int connections, long durationNanos,
                               long warmupNanos, double fixedRate, int proxyCpu, int loadCpu, int fulcrumWarmupSeconds,
                               int readyTimeoutSeconds) {
    public static final long MIN_DURATION_NANOS = 2_000_000_000L;

    public PeerBenchOptions {
        proxies = List.copyOf(proxies);
        payloads = List.copyOf(payloads);
        if (proxies.isEmpty() || payloads.isEmpty()) {
            throw new IllegalArgumentException("at least one proxy and one payload are needed");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1: " + connections);
        }
        if (durationNanos < MIN_DURATION_NANOS) {
            throw new IllegalArgumentException("--duration must be at least 2s (the CPU window starts after the"
                    + " first measured second)");
        }
        if (warmupNanos < 0 || fixedRate < 0 || fulcrumWarmupSeconds < 0 || readyTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--warmup, --rate and --fulcrum-warmup must not be negative");
        }
        if (proxyCpu < 0 || loadCpu < 0) {
            throw new IllegalArgumentException("core numbers must not be negative");
        }
    }
}
