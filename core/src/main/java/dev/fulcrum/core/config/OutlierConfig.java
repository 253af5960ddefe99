package dev.fulcrum.core.config;

/**
 * Passive health (outlier detection) of one service's backends, and the panic threshold of its pools.
 *
 * <p>Immutable.
 *
 * @param enabled              false: no ejections (active checks alone decide)
 * @param consecutiveFailures  upstream errors or 5xx responses in a row that eject a backend
 * @param baseEjectionMillis   first ejection's length; the n-th ejection in a row lasts n times this
 * @param maxEjectionMillis    cap on one ejection's length
 * @param maxEjectionPercent   at most this share of a pool's backends is ejected at once (at least one)
 * @param panicThresholdPercent when fewer than this share of a pool's backends is healthy, health is ignored and
 *                             traffic spreads over all of them (0 disables panic routing)
 */
public record OutlierConfig(boolean enabled, int consecutiveFailures, long baseEjectionMillis, long maxEjectionMillis,
                            int maxEjectionPercent, int panicThresholdPercent) {

    /** Envoy's consecutive_5xx default. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** Envoy's base_ejection_time default. */
    public static final long DEFAULT_BASE_EJECTION_MILLIS = 30_000;
    /** Envoy's max_ejection_time default. */
    public static final long DEFAULT_MAX_EJECTION_MILLIS = 300_000;
    /** Envoy's default: ejections can never empty a pool of ten or more. */
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
    /** Envoy's healthy_panic_threshold default. */
    public static final int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;

    public static final OutlierConfig DISABLED = new OutlierConfig(false, DEFAULT_CONSECUTIVE_FAILURES,
            DEFAULT_BASE_EJECTION_MILLIS, DEFAULT_MAX_EJECTION_MILLIS, DEFAULT_MAX_EJECTION_PERCENT,
            DEFAULT_PANIC_THRESHOLD_PERCENT);

    public OutlierConfig {
        if (consecutiveFailures < 1 || baseEjectionMillis <= 0 || maxEjectionMillis < baseEjectionMillis
                || maxEjectionPercent < 0 || maxEjectionPercent > 100 || panicThresholdPercent < 0
                || panicThresholdPercent > 100) {
            throw new IllegalArgumentException("bad outlier detection settings: " + consecutiveFailures + ", "
                    + baseEjectionMillis + ", " + maxEjectionMillis + ", " + maxEjectionPercent + ", "
                    + panicThresholdPercent);
        }
    }

    /** How many of {@code poolSize} backends may be ejected at once: the percentage, but at least one. */
    public int maxEjected(int poolSize) {
        return maxEjectionPercent == 0 ? 0 : Math.max(1, poolSize * maxEjectionPercent / 100);
    }

    /** Length of the {@code ejections}-th ejection in a row (1-based). */
    public long ejectionMillis(int ejections) {
        final long scaled = baseEjectionMillis * Math.max(1, ejections);
        return scaled < 0 || scaled > maxEjectionMillis ? maxEjectionMillis : scaled;
    }
}
