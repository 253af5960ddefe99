package dev.fulcrum.bench.scenario;

import dev.fulcrum.bench.loadgen.LoadResult;

import java.util.Map;

/**
 * One algorithm's run of a scenario.
 *
 * @param algorithm  the name as the scenario gives it
 * @param load       what the load generator measured through the proxy
 * @param served     responses each origin wrote during the measured phase, by origin name, in scenario order
 * @param proxyTransport  the transport the proxy ran on (io_uring, epoll, nio)
 */
public record AlgorithmRun(String algorithm, LoadResult load, Map<String, Long> served, String proxyTransport) {
    public long servedTotal() {
        long total = 0;
        for (long n : served.values()) {
            total += n;
        }
        return total;
    }
}
