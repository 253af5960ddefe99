package dev.fulcrum.bench.demo;

import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What one demo run measured.
 *
 * <p>Immutable apart from the histogram, which the caller must not change.
 *
 * @param transport        transport the proxy ran on
 * @param proxyIoThreads   proxy event loops
 * @param proxyAddress     host:port the proxy listened on
 * @param algorithm        load-balancing algorithm
 * @param connections      client connections
 * @param warmupNanos      warmup, not counted
 * @param measuredNanos    measured phase
 * @param requests         responses received in the measured phase (any status)
 * @param non2xx           of those, responses outside 200..299
 * @param connectionErrors connections lost with a request in flight, and failed connects, in the measured phase
 * @param latencyMicros    response latency, microseconds, every response in {@code requests}
 * @param backends         share per origin, in start order
 */
public record DemoResult(String transport, int proxyIoThreads, String proxyAddress, String algorithm, int connections,
                         long warmupNanos, long measuredNanos, long requests, long non2xx, long connectionErrors,
                         Histogram latencyMicros, List<BackendShare> backends) {

    public DemoResult {
        backends = List.copyOf(backends);
    }

    public long errors() {
        return non2xx + connectionErrors;
    }

    /** Responses with a 2xx status. */
    public long succeeded() {
        return requests - non2xx;
    }

    public double throughputPerSecond() {
        return measuredNanos == 0 ? 0 : requests * 1e9 / measuredNanos;
    }

    /** Prints the human summary. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "fulcrum demo: proxy on %s (transport %s, %d io threads), algorithm %s%n",
                proxyAddress, transport, proxyIoThreads, algorithm);
        out.printf(Locale.ROOT, "load: %d keep-alive HTTP/1.1 connections, closed loop, warmup %.1f s, measured %.2f s%n",
                connections, warmupNanos / 1e9, measuredNanos / 1e9);
        out.printf(Locale.ROOT, "requests    %d%n", requests);
        out.printf(Locale.ROOT, "errors      %d (non-2xx %d, connection %d)%n", errors(), non2xx, connectionErrors);
        out.printf(Locale.ROOT, "throughput  %.1f req/s%n", throughputPerSecond());
        final Histogram h = latencyMicros;
        if (h.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        } else {
            out.println("latency ms  (no responses)");
        }
        long total = 0;
        for (BackendShare share : backends) {
            total += share.served();
        }
        out.println("share per backend:");
        for (BackendShare share : backends) {
            out.printf(Locale.ROOT, "  %-7s %-24s %-34s %8d  %5.1f %%%n", share.name(), share.url(), share.profile(),
                    share.served(), total == 0 ? 0.0 : 100.0 * share.served() / total);
        }
        out.flush();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
