package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.RetryBudgetConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The retry budget of every pool. Immutable after {@link #build}; lookups allocate nothing.
 */
public final class RetryBudgets {
    private final Map<ServerPool, RetryBudget> byPool;
    private final long perTryTimeoutMillis;

    private RetryBudgets(Map<ServerPool, RetryBudget> byPool, long perTryTimeoutMillis) {
        this.byPool = byPool;
        this.perTryTimeoutMillis = perTryTimeoutMillis;
    }

    public static RetryBudgets build(RoutingTable routing, RetryBudgetConfig config) {
        return build(routing, config, null, null);
    }

    /**
     * The budgets of a reloaded routing table. A location that stays keeps its budget (with its retries in progress)
     * while the settings are unchanged; the pools of {@code previousRouting} map to the budget their location has
     * now, so a request that resolved its location just before the swap still has one. Control thread only.
     */
    public static RetryBudgets build(RoutingTable routing, RetryBudgetConfig config, RoutingTable previousRouting,
                                     RetryBudgets previous) {
        final Map<ServerPool, RetryBudget> map = new IdentityHashMap<>();
        for (Location location : routing.locations()) {
            final Location before = previousRouting == null ? null
                    : previousRouting.find(location.serviceName(), location.path());
            final RetryBudget kept = before == null || previous == null ? null : previous.get(before.pool());
            map.put(location.pool(), kept != null && kept.config().equals(config) ? kept : new RetryBudget(config));
        }
        if (previousRouting != null) {
            for (Location old : previousRouting.locations()) {
                final Location now = routing.find(old.serviceName(), old.path());
                if (now != null && old.pool() != null) {
                    map.putIfAbsent(old.pool(), map.get(now.pool()));
                }
            }
        }
        return new RetryBudgets(map, config.perTryTimeoutMillis());
    }

    /** The pool's budget, or null for a pool no routing table of this generation (or the one before) had. */
    public RetryBudget get(ServerPool pool) {
        return byPool.get(pool);
    }

    /** 0 when tries have no timeout of their own. */
    public long perTryTimeoutMillis() {
        return perTryTimeoutMillis;
    }
}
