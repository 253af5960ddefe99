package dev.fulcrum.bench.loadgen;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load run measured. Serialised as the {@code --json} output (histograms are written separately as
 * {@code .hgrm}).
 *
 * <p>Immutable after construction (the histograms are not copied: do not modify them).
 *
 * @param requestedRate     requests per second asked for; 0 in closed loop
 * @param achievedRate      responses completed per second of the measured phase
 * @param verdict           PASS, or FAIL when an open-loop run fell more than 1 % short of its rate or no request
 *                          succeeded
 * @param counts            every {@link Counter} by its label, over the measured phase
 * @param latencyMillis     corrected latency percentiles (from each request's scheduled send time)
 * @param uncorrectedMillis latency from the actual send time: what a coordinated-omission-prone tool reports
 * @param schedulingErrorMillis how late the generator's timer fired scheduled sends (empty in closed loop)
 */
@JsonPropertyOrder({"targets", "method", "connections", "threads", "transport", "mode", "requestedRate",
        "achievedRate", "verdict", "verdictReason", "durationSeconds", "warmupSeconds", "requests", "errors", "counts",
        "latencyMillis", "uncorrectedMillis", "schedulingErrorMillis", "intervals"})
public record LoadResult(List<String> targets, String method, int connections, int threads, String transport,
                         String mode, double requestedRate, double achievedRate, String verdict, String verdictReason,
                         double durationSeconds, double warmupSeconds, long requests, long errors,
                         Map<String, Long> counts, Map<String, Double> latencyMillis,
                         Map<String, Double> uncorrectedMillis, Map<String, Double> schedulingErrorMillis,
                         List<IntervalSample> intervals,
                         @JsonIgnore Histogram correctedMicros, @JsonIgnore Histogram uncorrectedMicros,
                         @JsonIgnore Histogram schedulingErrorMicros) {
    /** The percentiles every summary shows, and their labels. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] LABELS = {"p50", "p90", "p99", "p99.9", "p99.99"};
    /** An open-loop run that achieves less than this share of its requested rate is a FAIL. */
    public static final double MIN_RATE_SHARE = 0.99;

    static LoadResult of(LoadgenOptions options, String transport, long measuredNanos, Map<Counter, Long> counted,
                         Histogram corrected, Histogram uncorrected, Histogram scheduling,
                         List<IntervalSample> intervals) {
        final Map<String, Long> counts = new LinkedHashMap<>();
        long errors = 0;
        for (Map.Entry<Counter, Long> e : counted.entrySet()) {
            counts.put(e.getKey().label(), e.getValue());
            if (e.getKey().isError()) {
                errors += e.getValue();
            }
        }
        final double seconds = measuredNanos / 1e9;
        final long completed = counted.get(Counter.COMPLETED);
        final double achieved = completed / seconds;
        String verdict = "PASS";
        String reason = "";
        if (counted.get(Counter.STATUS_2XX) == 0) {
            verdict = "FAIL";
            reason = "no request got a 2xx response";
        } else if (options.openLoop() && achieved < MIN_RATE_SHARE * options.ratePerSecond()) {
            verdict = "FAIL";
            reason = String.format(Locale.ROOT, "achieved %.1f/s is %.1f %% short of the requested %.1f/s",
                    achieved, 100 * (1 - achieved / options.ratePerSecond()), options.ratePerSecond());
        }
        return new LoadResult(options.targets().stream().map(Object::toString).toList(), options.method(),
                options.connections(), options.threads(), transport, options.openLoop() ? "open" : "closed",
                options.ratePerSecond(), achieved, verdict, reason, seconds, options.warmupNanos() / 1e9, completed,
                errors, counts, percentiles(corrected), percentiles(uncorrected),
                options.openLoop() ? percentiles(scheduling) : Map.of(), List.copyOf(intervals), corrected,
                uncorrected, scheduling);
    }

    private static Map<String, Double> percentiles(Histogram micros) {
        final Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < PERCENTILES.length; i++) {
            out.put(LABELS[i], LoadRun.percentileMillis(micros, PERCENTILES[i]));
        }
        out.put("max", micros.getTotalCount() == 0 ? 0 : micros.getMaxValue() / 1000.0);
        out.put("mean", micros.getTotalCount() == 0 ? 0 : micros.getMean() / 1000.0);
        return out;
    }

    public boolean passed() {
        return "PASS".equals(verdict);
    }

    /** Share of responses and failures that were errors. */
    public double errorRate() {
        final long attempts = requests + counts.getOrDefault(Counter.CONNECT_ERROR.label(), 0L)
                + counts.getOrDefault(Counter.TIMEOUT.label(), 0L) + counts.getOrDefault(Counter.CLOSED.label(), 0L)
                + counts.getOrDefault(Counter.PROTOCOL_ERROR.label(), 0L);
        return attempts == 0 ? 0 : (double) errors / attempts;
    }

    /** Writes the corrected latency as an HdrHistogram percentile distribution ({@code .hgrm}), in milliseconds. */
    public void writeHgrm(PrintStream out) {
        correctedMicros.outputPercentileDistribution(out, 1000.0);
    }

    /** The human summary: rates, verdict, errors by kind, percentile table. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "targets     %s (%s, %d connections over %d threads, %s)%n", String.join(" ", targets),
                method, connections, threads, transport);
        if ("open".equals(mode)) {
            out.printf(Locale.ROOT, "rate        requested %.1f/s, achieved %.1f/s (%s%s)%n", requestedRate,
                    achievedRate, verdict, verdictReason.isEmpty() ? "" : ": " + verdictReason);
        } else {
            out.printf(Locale.ROOT, "rate        closed loop (--rate max), achieved %.1f/s (%s%s)%n", achievedRate,
                    verdict, verdictReason.isEmpty() ? "" : ": " + verdictReason);
        }
        out.printf(Locale.ROOT, "measured    %.2f s after %.2f s warmup, %d responses%n", durationSeconds,
                warmupSeconds, requests);
        final StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (!e.getKey().equals("sent") && !e.getKey().equals("completed") && !e.getKey().equals("2xx")
                    && e.getValue() > 0) {
                kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        out.printf(Locale.ROOT, "errors      %d%s%n", errors, kinds.length() == 0 ? "" : " (" + kinds + ")");
        out.printf(Locale.ROOT, "latency ms  %-10s %10s %10s %10s %10s %10s %10s%n", "", "p50", "p90", "p99", "p99.9",
                "p99.99", "max");
        row(out, "open".equals(mode) ? "corrected" : "measured", latencyMillis);
        if ("open".equals(mode)) {
            row(out, "uncorrected", uncorrectedMillis);
            row(out, "sched.error", schedulingErrorMillis);
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, Map<String, Double> p) {
        out.printf(Locale.ROOT, "            %-10s %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f%n", name, p.get("p50"),
                p.get("p90"), p.get("p99"), p.get("p99.9"), p.get("p99.99"), p.get("max"));
    }
}
