package dev.fulcrum.core.resilience;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.core.config.RetryBudgetConfig;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pool's retry budget (Envoy's model): a retry may start while the retries in progress stay below
 * {@code max(min_retry_concurrency, budget_percent x requests in progress)}.
 *
 * <p>Thread-safe and lock-free. Requests in progress are the pool's in-flight slots, already counted per backend,
 * so the budget adds one shared counter that only retries touch; the O(backends) sum runs on the retry path only.
 */
public final class RetryBudget {
    private final RetryBudgetConfig config;
    private final int budgetPercent;
    private final int minRetryConcurrency;
    private final AtomicInteger activeRetries = new AtomicInteger();

    public RetryBudget(RetryBudgetConfig config) {
        this.config = config;
        this.budgetPercent = config.budgetPercent();
        this.minRetryConcurrency = config.minRetryConcurrency();
    }

    /** The settings this budget was built with. */
    public RetryBudgetConfig config() {
        return config;
    }

    /**
     * Claims a retry if the budget allows one now.
     *
     * @return true when claimed; the caller must call {@link #retryEnded()} exactly once when that try ends
     */
    public boolean tryStartRetry(BackendSnapshot snapshot) {
        long inFlight = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            inFlight += snapshot.state(i).inFlightOpaque();
        }
        final long allowed = Math.max(minRetryConcurrency, inFlight * budgetPercent / 100);
        int current = activeRetries.get();
        while (current < allowed) {
            final int witness = activeRetries.compareAndExchange(current, current + 1);
            if (witness == current) {
                return true;
            }
            current = witness;
        }
        return false;
    }

    public void retryEnded() {
        activeRetries.decrementAndGet();
    }

    /** Retries in progress now. */
    public int activeRetries() {
        return activeRetries.get();
    }
}
