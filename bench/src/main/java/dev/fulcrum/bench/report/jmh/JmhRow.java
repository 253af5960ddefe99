package dev.fulcrum.bench.report.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result from a JMH JSON file ({@code -rf json}): what ran, with which parameters and threads, and
 * its score, error and allocation per operation.
 *
 * <p>Immutable.
 *
 * @param benchmark     fully qualified benchmark method
 * @param params        JMH parameters in file order
 * @param threads       benchmark threads
 * @param score         primary metric
 * @param scoreError    99.9 % half-width as JMH reports it (NaN with one iteration)
 * @param unit          primary metric unit, e.g. ns/op
 * @param bytesPerOp    gc.alloc.rate.norm, or NaN when run without {@code -prof gc}
 * @param jdk           JDK version and VM, as JMH recorded them
 * @param settings      forks, warmup and measurement, as JMH recorded them
 */
public record JmhRow(String benchmark, Map<String, String> params, int threads, double score, double scoreError,
                     String unit, double bytesPerOp, String jdk, String settings) {

    /** Reads every result of one JMH JSON file. */
    public static List<JmhRow> read(Path file) throws IOException {
        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        final List<JmhRow> rows = new ArrayList<>();
        for (JsonNode r : root) {
            final Map<String, String> params = new LinkedHashMap<>();
            final JsonNode p = r.path("params");
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                params.put(e.getKey(), e.getValue().asText());
            }
            final JsonNode primary = r.path("primaryMetric");
            double bytes = Double.NaN;
            for (Map.Entry<String, JsonNode> e : r.path("secondaryMetrics").properties()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = e.getValue().path("score").asDouble();
                }
            }
            final String jdk = r.path("jdkVersion").asText() + " (" + r.path("vmName").asText() + ' '
                    + r.path("vmVersion").asText() + ')';
            final String settings = r.path("forks").asInt() + " fork(s), warmup " + r.path("warmupIterations").asInt()
                    + " x " + r.path("warmupTime").asText() + ", measurement " + r.path("measurementIterations").asInt()
                    + " x " + r.path("measurementTime").asText();
            rows.add(new JmhRow(r.path("benchmark").asText(), params, r.path("threads").asInt(),
                    primary.path("score").asDouble(), parseError(primary.path("scoreError")),
                    primary.path("scoreUnit").asText(), bytes, jdk, settings));
        }
        return rows;
    }

    private static double parseError(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    /** The simple class name and method, e.g. SelectorBenchmark.select. */
    public String shortName() {
        final String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + '.' + parts[parts.length - 1];
    }

    public String param(String name) {
        return params.get(name);
    }
}
