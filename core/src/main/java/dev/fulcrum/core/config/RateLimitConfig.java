package dev.fulcrum.core.config;

/**
 * Per-client rate limiting of a service (terraster's {@code rate_limit} middleware, made per client).
 *
 * <p>Immutable.
 *
 * @param enabled           false: no limit
 * @param requestsPerSecond sustained rate each client may send
 * @param burst             requests a client may send at once after being quiet (the bucket size)
 * @param perService        true: this service counts its clients separately from other services; false: every
 *                          service with the same top-level limit shares one count per client
 * @param maxClients        clients tracked at once (memory bound: 16 bytes each); idle clients are evicted first
 */
public record RateLimitConfig(boolean enabled, double requestsPerSecond, int burst, boolean perService,
                              int maxClients) {

    /** terraster's defaults for an unset rate and burst. */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 20;
    public static final int DEFAULT_BURST = 50;
    /** 65536 clients x 16 bytes = 1 MiB per limiter. */
    public static final int DEFAULT_MAX_CLIENTS = 65_536;

    public static final RateLimitConfig DISABLED = new RateLimitConfig(false, DEFAULT_REQUESTS_PER_SECOND,
            DEFAULT_BURST, false, DEFAULT_MAX_CLIENTS);

    public RateLimitConfig {
        if (!(requestsPerSecond > 0) || burst < 1 || maxClients < 16) {
            throw new IllegalArgumentException("bad rate limit: " + requestsPerSecond + "/s burst " + burst
                    + " clients " + maxClients);
        }
    }
}
