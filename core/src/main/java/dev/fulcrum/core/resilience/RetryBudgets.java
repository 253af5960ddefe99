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
        final Map<ServerPool, RetryBudget> map = new IdentityHashMap<>();
        for (Location location : routing.locations()) {
            map.put(location.pool(), new RetryBudget(config));
        }
        return new RetryBudgets(map, config.perTryTimeoutMillis());
    }

    /** The pool's budget, or null for a pool the routing table did not have at start. */
    public RetryBudget get(ServerPool pool) {
        return byPool.get(pool);
    }

    /** 0 when tries have no timeout of their own. */
    public long perTryTimeoutMillis() {
        return perTryTimeoutMillis;
    }
}
