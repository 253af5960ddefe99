package dev.fulcrum.bench.report;

import java.util.Map;

/**
 * One benchmark result of a JMH JSON file: a benchmark method at one parameter combination.
 *
 * @param benchmark        fully qualified benchmark method
 * @param mode             JMH mode: thrpt, avgt, sample, ss
 * @param params           parameter values by name (empty when none), in file order
 * @param threads          benchmark threads ({@code -t})
 * @param score            primary metric
 * @param error            its 99.9 % confidence half-width (NaN when JMH had too few iterations)
 * @param unit             primary metric unit, e.g. ns/op, ops/s
 * @param allocBytesPerOp  {@code gc.alloc.rate.norm} when run with {@code -prof gc}, else NaN
 * @param jdk              JDK version and VM, as JMH recorded them
 * @param settings         forks, warmup and measurement, as JMH recorded them
 */
public record JmhRow(String benchmark, String mode, Map<String, String> params, int threads, double score,
                     double error, String unit, double allocBytesPerOp, String jdk, String settings) {
    /** Identifies the same measurement across two runs. */
    public String key() {
        return benchmark + " " + mode + " " + params;
    }

    /** The class and method, without the package. */
    public String shortName() {
        final int method = benchmark.lastIndexOf('.');
        final int cls = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    /** True when a larger score is better (throughput); false for time per operation. */
    public boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    /** One parameter's value, or null when the benchmark has no such parameter. */
    public String param(String name) {
        return params.get(name);
    }

    public String paramsText() {
        if (params.isEmpty()) {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }
}
