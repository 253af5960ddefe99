package dev.fulcrum.bench.scenario;

import dev.fulcrum.bench.loadgen.LoadResult;

import java.util.Map;

/**
 * One algorithm's run of a scenario (under one of its variants, when it has some).
 *
 * @param algorithm  the name as the scenario gives it
 * @param load       what the load generator measured through the proxy
 * @param served     responses each origin wrote during the measured phase, by origin name, in scenario order
 * @param proxyTransport  the transport the proxy ran on (io_uring, epoll, nio)
 */
public record AlgorithmRun(String algorithm, LoadResult load, Map<String, Long> served, String proxyTransport,
                           String variant) {
    /** A run of a scenario without variants. */
    public AlgorithmRun(String algorithm, LoadResult load, Map<String, Long> served, String proxyTransport) {
        this(algorithm, load, served, proxyTransport, null);
    }

    /** The name tables and charts show: the algorithm, with the variant in parentheses when there is one. */
    public String label() {
        return variant == null ? algorithm : algorithm + " (" + variant + ")";
    }

    public long servedTotal() {
        long total = 0;
        for (long n : served.values()) {
            total += n;
        }
        return total;
    }
}
