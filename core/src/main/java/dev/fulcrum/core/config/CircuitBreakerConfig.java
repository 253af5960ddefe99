package dev.fulcrum.core.config;

/**
 * The circuit breaker of each backend of a service.
 *
 * <p>Immutable.
 *
 * @param enabled           false: no breaker
 * @param failureThreshold  consecutive upstream errors or 5xx that open the circuit
 * @param resetTimeoutMillis how long an open circuit rejects before letting probe requests through
 * @param halfOpenRequests  probe requests allowed at once while half-open; the first success closes the circuit,
 *                          any failure opens it again
 */
public record CircuitBreakerConfig(boolean enabled, int failureThreshold, long resetTimeoutMillis,
                                   int halfOpenRequests) {

    /** terraster's global default. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** terraster's global default. */
    public static final long DEFAULT_RESET_TIMEOUT_MILLIS = 30_000;
    /** One probe at a time: a backend that is still down costs one failed request per reset timeout. */
    public static final int DEFAULT_HALF_OPEN_REQUESTS = 1;

    public static final CircuitBreakerConfig DISABLED = new CircuitBreakerConfig(false, DEFAULT_FAILURE_THRESHOLD,
            DEFAULT_RESET_TIMEOUT_MILLIS, DEFAULT_HALF_OPEN_REQUESTS);

    public CircuitBreakerConfig {
        if (failureThreshold < 1 || resetTimeoutMillis <= 0 || halfOpenRequests < 1) {
            throw new IllegalArgumentException("bad circuit breaker settings: " + failureThreshold + ", "
                    + resetTimeoutMillis + ", " + halfOpenRequests);
        }
    }
}
