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
    public static final RateLimiters NONE = new RateLimiters(new IdentityHashMap<>(), new HashMap<>(),
            new HashMap<>(), new ClientAddress(List.of()));

    private final Map<Location, ClientRateLimiter> byLocation;
    /** The limiters by what they are shared by, so that a reload can keep them. */
    private final Map<RateLimitConfig, ClientRateLimiter> shared;
    private final Map<String, ClientRateLimiter> byService;
    private final ClientAddress clientAddress;

    private RateLimiters(Map<Location, ClientRateLimiter> byLocation, Map<RateLimitConfig, ClientRateLimiter> shared,
                         Map<String, ClientRateLimiter> byService, ClientAddress clientAddress) {
        this.byLocation = byLocation;
        this.shared = shared;
        this.byService = byService;
        this.clientAddress = clientAddress;
    }

    public static RateLimiters build(RoutingTable routing, ResilienceConfig resilience) {
        return build(routing, resilience, null, NONE);
    }

    /**
     * The limiters of a reloaded routing table. A limiter whose settings (and sharing) stay the same keeps its
     * buckets, so a reload does not hand every client a fresh burst; new or changed limits start full; removed ones
     * are dropped. The locations of {@code previousRouting} are mapped too, to the limiter their location has now:
     * a request that resolved its location just before the swap finds the current limiter. Control thread only.
     */
    public static RateLimiters build(RoutingTable routing, ResilienceConfig resilience, RoutingTable previousRouting,
                                     RateLimiters previous) {
        final Map<Location, ClientRateLimiter> byLocation = new IdentityHashMap<>();
        final Map<RateLimitConfig, ClientRateLimiter> shared = new HashMap<>();
        final Map<String, ClientRateLimiter> byService = new HashMap<>();
        for (Location location : routing.locations()) {
            final RateLimitConfig config = resilience.rateLimit(location.serviceName());
            if (!config.enabled()) {
                continue;
            }
            final ClientRateLimiter limiter = config.perService()
                    ? byService.computeIfAbsent(location.serviceName(), s -> kept(previous.byService.get(s), config))
                    : shared.computeIfAbsent(config, c -> kept(previous.shared.get(c), c));
            byLocation.put(location, limiter);
        }
        if (previousRouting != null) {
            for (Location old : previousRouting.locations()) {
                final Location now = routing.find(old.serviceName(), old.path());
                final ClientRateLimiter limiter = now == null ? null : byLocation.get(now);
                if (limiter != null) {
                    byLocation.putIfAbsent(old, limiter);
                }
            }
        }
        return new RateLimiters(byLocation, shared, byService, new ClientAddress(resilience.trustedProxies()));
    }

    private static ClientRateLimiter kept(ClientRateLimiter previous, RateLimitConfig config) {
        return previous != null && previous.config().equals(config) ? previous : new ClientRateLimiter(config);
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
