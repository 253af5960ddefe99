package dev.fulcrum.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Health and resilience policy that is not part of routing: the effective active health check of every backend of
 * every location, and each service's outlier detection.
 *
 * <p>Immutable.
 *
 * @param healthChecks     effective health check per {@link #targetKey target}, and each location's inherited one
 *                         under {@link #ANY_BACKEND}; a missing entry means disabled
 * @param outlierByService outlier detection per service name; a missing entry means disabled
 * @param breakerByService circuit breaker per service name; a missing entry means disabled
 * @param rateLimitByService per-client rate limit per service name; a missing entry means disabled
 * @param trustedProxies   CIDRs of proxies whose X-Forwarded-For is believed when finding the client address
 * @param retryBudget      the retry budget of every pool, and the per-try timeout
 */
public record ResilienceConfig(Map<String, HealthCheckConfig> healthChecks,
                               Map<String, OutlierConfig> outlierByService,
                               Map<String, CircuitBreakerConfig> breakerByService,
                               Map<String, RateLimitConfig> rateLimitByService,
                               List<String> trustedProxies,
                               RetryBudgetConfig retryBudget) {

    public static final ResilienceConfig DEFAULTS =
            new ResilienceConfig(Map.of(), Map.of(), Map.of(), Map.of(), List.of(), RetryBudgetConfig.DEFAULTS);

    public ResilienceConfig {
        healthChecks = Map.copyOf(Objects.requireNonNull(healthChecks, "healthChecks"));
        outlierByService = Map.copyOf(Objects.requireNonNull(outlierByService, "outlierByService"));
        breakerByService = Map.copyOf(Objects.requireNonNull(breakerByService, "breakerByService"));
        rateLimitByService = Map.copyOf(Objects.requireNonNull(rateLimitByService, "rateLimitByService"));
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(retryBudget, "retryBudget");
    }

    /** A service's rate limit; {@link RateLimitConfig#DISABLED} when none is configured. */
    public RateLimitConfig rateLimit(String serviceName) {
        final RateLimitConfig config = rateLimitByService.get(serviceName);
        return config == null ? RateLimitConfig.DISABLED : config;
    }

    /** A service's circuit breaker; {@link CircuitBreakerConfig#DISABLED} when none is configured. */
    public CircuitBreakerConfig breaker(String serviceName) {
        final CircuitBreakerConfig config = breakerByService.get(serviceName);
        return config == null ? CircuitBreakerConfig.DISABLED : config;
    }

    /** A service's outlier detection; {@link OutlierConfig#DISABLED} when none is configured. */
    public OutlierConfig outlier(String serviceName) {
        final OutlierConfig config = outlierByService.get(serviceName);
        return config == null ? OutlierConfig.DISABLED : config;
    }

    /** The key of one backend of one location of one service. */
    public static String targetKey(String serviceName, String locationPath, String backendKey) {
        return serviceName + '\u0000' + locationPath + '\u0000' + backendKey;
    }

    /**
     * The backend key under which {@link #healthChecks} holds a location's inherited check (global, then service):
     * what a backend not listed in the file (added through the admin API) gets. Never a real backend key.
     */
    public static final String ANY_BACKEND = "";

    /**
     * The effective health check of a backend of a location; for a backend the file does not list, the check it
     * inherits from the global and service levels; {@link HealthCheckConfig#DISABLED} when none.
     */
    public HealthCheckConfig healthCheck(String serviceName, String locationPath, String backendKey) {
        HealthCheckConfig config = healthChecks.get(targetKey(serviceName, locationPath, backendKey));
        if (config == null) {
            config = healthChecks.get(targetKey(serviceName, locationPath, ANY_BACKEND));
        }
        return config == null ? HealthCheckConfig.DISABLED : config;
    }
}
