package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.RateLimitConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-client rate limiter of every location whose service has one, and how client addresses are found.
 *
 * <p>Immutable after {@link #build}; lookups allocate nothing. Services whose limit is not per service (the
 * top-level block inherited unchanged) share one limiter, so a client's count is the same wherever it goes; a
 * service with its own block, or {@code per_service: true}, counts its clients separately.
 */
public final class RateLimiters {
    public static final RateLimiters NONE = new RateLimiters(new IdentityHashMap<>(), new ClientAddress(List.of()));

    private final Map<Location, ClientRateLimiter> byLocation;
    private final ClientAddress clientAddress;

    private RateLimiters(Map<Location, ClientRateLimiter> byLocation, ClientAddress clientAddress) {
        this.byLocation = byLocation;
        this.clientAddress = clientAddress;
    }

    public static RateLimiters build(RoutingTable routing, ResilienceConfig resilience) {
        final Map<Location, ClientRateLimiter> byLocation = new IdentityHashMap<>();
        final Map<RateLimitConfig, ClientRateLimiter> shared = new HashMap<>();
        final Map<String, ClientRateLimiter> byService = new HashMap<>();
        for (Location location : routing.locations()) {
            final RateLimitConfig config = resilience.rateLimit(location.serviceName());
            if (!config.enabled()) {
                continue;
            }
            final ClientRateLimiter limiter = config.perService()
                    ? byService.computeIfAbsent(location.serviceName(), s -> new ClientRateLimiter(config))
                    : shared.computeIfAbsent(config, ClientRateLimiter::new);
            byLocation.put(location, limiter);
        }
        return new RateLimiters(byLocation, new ClientAddress(resilience.trustedProxies()));
    }

    public boolean isEmpty() {
        return byLocation.isEmpty();
    }

    /** The location's limiter, or null when it has none. */
    public ClientRateLimiter get(Location location) {
        return byLocation.get(location);
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }
}
