package dev.fulcrum.core.resilience;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.CircuitBreakerConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The circuit breaker of every backend whose service has one, found by the backend's state.
 *
 * <p>Immutable after {@link #build} (the map is filled before it is published with the context and only read
 * after); lookups allocate nothing. A backend listed in two locations has two states and so two breakers.
 */
public final class CircuitBreakers {
    public static final CircuitBreakers NONE = new CircuitBreakers(new IdentityHashMap<>());

    private final Map<BackendState, CircuitBreaker> byBackend;

    private CircuitBreakers(Map<BackendState, CircuitBreaker> byBackend) {
        this.byBackend = byBackend;
    }

    public static CircuitBreakers build(RoutingTable routing, ResilienceConfig resilience) {
        return build(routing, resilience, NONE);
    }

    /**
     * The breakers of a reloaded routing table: a backend that stays (same state, carried over by its pool) keeps
     * its breaker, open or closed, while its service's settings are unchanged; new backends, and backends whose
     * settings changed, get a closed one; removed backends' breakers are dropped. Also called with the table in force
     * after the admin API added or removed a backend ({@code routing} may be the table {@code previous} was built
     * for). Control thread only.
     */
    public static CircuitBreakers build(RoutingTable routing, ResilienceConfig resilience, CircuitBreakers previous) {
        final Map<BackendState, CircuitBreaker> map = new IdentityHashMap<>();
        for (Location location : routing.locations()) {
            final CircuitBreakerConfig config = resilience.breaker(location.serviceName());
            if (!config.enabled()) {
                continue;
            }
            // The pool's current members: the file's backends plus those the admin API added since.
            for (BackendConfig backend : location.pool().backends()) {
                final BackendState state = location.pool().backendByUrl(backend.url());
                if (state != null) {
                    final CircuitBreaker kept = previous.get(state);
                    map.put(state, kept != null && kept.config().equals(config) ? kept : new CircuitBreaker(config));
                }
            }
        }
        return map.isEmpty() ? NONE : new CircuitBreakers(map);
    }

    public boolean isEmpty() {
        return byBackend.isEmpty();
    }

    /** The backend's breaker, or null when its service has none. */
    public CircuitBreaker get(BackendState backend) {
        return byBackend.get(backend);
    }
}
