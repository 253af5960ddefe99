package dev.fulcrum.bench.peers;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One measured (proxy, payload, load mode): what the report tables, the CSV and the charts show.
 *
 * @param proxy                proxy label (fulcrum, nginx, haproxy)
 * @param payload              payload label as given (tiny, 16k, ...)
 * @param payloadBytes         response body length
 * @param mode                 {@code closed} (closed loop) or {@code rate} (fixed rate, open loop)
 * @param requestedRate        requests per second asked for; 0 in closed loop
 * @param achievedRate         responses per second over the measured phase
 * @param requests             responses in the measured phase
 * @param errors               errors of every kind in the measured phase
 * @param p50Millis            latency percentiles of the measured phase (corrected in open loop), milliseconds
 * @param cpuMicrosPerRequest  proxy process CPU (utime + stime) over the CPU window, per response in that window
 * @param proxyCpuPercent      proxy process CPU over the window, in percent of one core
 */
@JsonPropertyOrder({"proxy", "payload", "payloadBytes", "mode", "requestedRate", "achievedRate", "requests", "errors",
        "p50Millis", "p90Millis", "p99Millis", "p999Millis", "maxMillis", "cpuMicrosPerRequest", "proxyCpuPercent"})
public record PeerRow(String proxy, String payload, int payloadBytes, String mode, double requestedRate,
                      double achievedRate, long requests, long errors, double p50Millis, double p90Millis,
                      double p99Millis, double p999Millis, double maxMillis, double cpuMicrosPerRequest,
                      double proxyCpuPercent) {
    public static final String CLOSED = "closed";
    public static final String RATE = "rate";

    /** The CSV header; {@link #csv()} writes the fields in this order. */
    public static final String CSV_HEADER = "proxy,payload,payload_bytes,mode,requested_rate,achieved_rate,requests,"
            + "errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms,cpu_us_per_request,proxy_cpu_percent";

    public String csv() {
        return String.join(",", proxy, payload, Integer.toString(payloadBytes), mode, fixed(requestedRate, 1),
                fixed(achievedRate, 1), Long.toString(requests), Long.toString(errors), fixed(p50Millis, 3),
                fixed(p90Millis, 3), fixed(p99Millis, 3), fixed(p999Millis, 3), fixed(maxMillis, 3),
                fixed(cpuMicrosPerRequest, 2), fixed(proxyCpuPercent, 1));
    }

    /** The table heading of this row's load: "closed loop" or "fixed rate 5000/s". */
    public String loadLabel() {
        return CLOSED.equals(mode) ? "closed loop" : "fixed rate " + fixed(requestedRate, 0) + "/s";
    }

    static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }
}
