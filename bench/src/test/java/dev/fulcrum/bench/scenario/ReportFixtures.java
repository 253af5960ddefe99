package dev.fulcrum.bench.scenario;

import dev.fulcrum.bench.loadgen.LoadResult;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed inputs for report tests: results with chosen percentiles and error counts. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    static AlgorithmRun run(String algorithm, double p50Millis, double p99Millis, long errors) {
        final Map<String, Double> latency = new LinkedHashMap<>();
        latency.put("p50", p50Millis);
        latency.put("p90", p50Millis);
        latency.put("p99", p99Millis);
        latency.put("p99.9", p99Millis);
        latency.put("p99.99", p99Millis);
        latency.put("max", p99Millis);
        final Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("5xx", errors);
        final LoadResult load = new LoadResult(List.of("http://127.0.0.1:1/"), "GET", 1, 1, "nio", "open", 100, 100,
                "PASS", "", 1, 0, 1000, errors, counts, latency, latency, latency, List.of(), new Histogram(3),
                new Histogram(3), new Histogram(3));
        return new AlgorithmRun(algorithm, load, Map.of("b", 1000L), "nio");
    }
}
