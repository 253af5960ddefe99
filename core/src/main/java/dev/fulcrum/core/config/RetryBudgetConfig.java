package dev.fulcrum.core.config;

/**
 * Envoy's retry budget: retries in progress may not exceed a share of the requests in progress (with a floor), so
 * that retries cannot multiply the load on a pool that is already failing; and a per-try timeout.
 *
 * <p>Immutable.
 *
 * @param budgetPercent       retries in progress allowed, as a percentage of the pool's requests in progress
 * @param minRetryConcurrency retries in progress always allowed, however few requests are in flight
 * @param perTryTimeoutMillis a try without response headers after this long is abandoned and, for an idempotent
 *                            request whose body was not sent, retried on another backend; 0 disables it (only
 *                            {@code timeouts.response} applies)
 */
public record RetryBudgetConfig(int budgetPercent, int minRetryConcurrency, long perTryTimeoutMillis) {

    /** Envoy's defaults: 20 % with a floor of 3. */
    public static final int DEFAULT_BUDGET_PERCENT = 20;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    public static final RetryBudgetConfig DEFAULTS =
            new RetryBudgetConfig(DEFAULT_BUDGET_PERCENT, DEFAULT_MIN_RETRY_CONCURRENCY, 0);

    public RetryBudgetConfig {
        if (budgetPercent < 0 || budgetPercent > 100 || minRetryConcurrency < 0 || perTryTimeoutMillis < 0) {
            throw new IllegalArgumentException("bad retry budget: " + budgetPercent + "%, min "
                    + minRetryConcurrency + ", per try " + perTryTimeoutMillis + " ms");
        }
    }
}
