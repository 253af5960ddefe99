package dev.fulcrum.core.config;

import java.util.Objects;

/**
 * How one backend is actively health checked: probe type and target, timing and thresholds.
 *
 * <p>Immutable. Built by {@link HealthCheckParser}: every field inherits global -> service -> backend, and each
 * level overrides only the keys it writes (terraster took interval and timeout from the service block only, ignored
 * them per backend, and crashed on a missing interval; see {@code docs/configuration.md}).
 *
 * @param enabled            false: the backend is not probed and stays alive (passive health still applies)
 * @param type               {@link #TYPE_HTTP} or {@link #TYPE_TCP}
 * @param path               request path (with query) of an http probe
 * @param expectedStatusMin  lowest status that counts as healthy
 * @param expectedStatusMax  highest status that counts as healthy
 * @param host               Host header of an http probe, or null for the backend's own host:port
 * @param intervalMillis     time between the end of one probe and the start of the next, before jitter
 * @param timeoutMillis      a probe not finished in this time (connect included) is a failure
 * @param jitterPercent      each interval is lengthened by a random 0..jitterPercent % of itself
 * @param healthyThreshold   consecutive successes that bring an unhealthy backend back
 * @param unhealthyThreshold consecutive failures that take a healthy backend out
 * @param checkBeforeTraffic true: a backend starts unhealthy and takes traffic after its first successful probe
 */
public record HealthCheckConfig(boolean enabled, String type, String path, int expectedStatusMin,
                                int expectedStatusMax, String host, long intervalMillis, long timeoutMillis,
                                int jitterPercent, int healthyThreshold, int unhealthyThreshold,
                                boolean checkBeforeTraffic) {

    public static final String TYPE_HTTP = "http";
    public static final String TYPE_TCP = "tcp";
    /** terraster's default probe path. */
    public static final String DEFAULT_PATH = "/health";
    /** terraster counted 2xx as healthy; Envoy's default is 200 only. 2xx keeps terraster setups working. */
    public static final int DEFAULT_STATUS_MIN = 200;
    public static final int DEFAULT_STATUS_MAX = 299;
    /** terraster's default block: 10 s interval, 2 s timeout, 2 healthy, 4 unhealthy. */
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;
    public static final long DEFAULT_TIMEOUT_MILLIS = 2_000;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 4;
    /** Spreads the probes of many proxies and backends so they do not arrive at a backend in bursts. */
    public static final int DEFAULT_JITTER_PERCENT = 10;
    /** Envoy's behaviour: a host is not used before its first successful check. terraster started them alive. */
    public static final boolean DEFAULT_CHECK_BEFORE_TRAFFIC = true;

    /** No active checks: what a config without any health_check block gets. */
    public static final HealthCheckConfig DISABLED = new HealthCheckConfig(false, TYPE_HTTP, DEFAULT_PATH,
            DEFAULT_STATUS_MIN, DEFAULT_STATUS_MAX, null, DEFAULT_INTERVAL_MILLIS, DEFAULT_TIMEOUT_MILLIS,
            DEFAULT_JITTER_PERCENT, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD,
            DEFAULT_CHECK_BEFORE_TRAFFIC);

    public HealthCheckConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        if (!type.equals(TYPE_HTTP) && !type.equals(TYPE_TCP)) {
            throw new IllegalArgumentException("health check type must be http or tcp: " + type);
        }
        if (expectedStatusMin < 100 || expectedStatusMax > 599 || expectedStatusMin > expectedStatusMax) {
            throw new IllegalArgumentException("bad expected status range " + expectedStatusMin + "-"
                    + expectedStatusMax);
        }
        if (intervalMillis <= 0 || timeoutMillis <= 0 || healthyThreshold < 1 || unhealthyThreshold < 1
                || jitterPercent < 0 || jitterPercent > 100) {
            throw new IllegalArgumentException("bad health check timing: " + intervalMillis + "/" + timeoutMillis
                    + "/" + healthyThreshold + "/" + unhealthyThreshold + "/" + jitterPercent);
        }
    }

    /** True when {@code status} counts as healthy. */
    public boolean isExpectedStatus(int status) {
        return status >= expectedStatusMin && status <= expectedStatusMax;
    }
}
