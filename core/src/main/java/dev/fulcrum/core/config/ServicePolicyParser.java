package dev.fulcrum.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads per-service policy blocks that are written at the top level and overridden key by key per service
 * ({@code circuit_breaker}, {@code rate_limit}). A second pass over the validated tree, like
 * {@link HealthCheckParser}.
 *
 * <p>Stateless; for the loading thread.
 */
final class ServicePolicyParser {
    static final String CIRCUIT_BREAKER = "circuit_breaker";
    static final String RATE_LIMIT = "rate_limit";
    private static final Set<String> RATE_LIMIT_KEYS =
            Set.of("enabled", "requests_per_second", "burst", "per_service", "max_clients");
    private static final Set<String> BREAKER_KEYS =
            Set.of("enabled", "failure_threshold", "reset_timeout", "half_open_requests");

    /** Parses one level over its inherited value. */
    interface Level<T> {
        T parse(Fields.Loading loading, Fields owner, T inherited) throws ConfigException;
    }

    private ServicePolicyParser() {
    }

    static <T> Map<String, T> byService(Fields.Loading loading, Fields top, List<ServiceConfig> services,
                                        boolean shorthand, T disabled, Level<T> level) throws ConfigException {
        final T global = level.parse(loading, top, disabled);
        final Map<String, T> byService = new HashMap<>();
        if (shorthand) {
            byService.put(services.get(0).name(), global);
            return byService;
        }
        final List<YamlNode> nodes = top.list("services");
        for (int i = 0; i < nodes.size(); i++) {
            final Fields sf = Fields.checked(loading, nodes.get(i), Fields.index("services", i));
            byService.put(services.get(i).name(), level.parse(loading, sf, global));
        }
        return byService;
    }

    static CircuitBreakerConfig breaker(Fields.Loading loading, Fields owner, CircuitBreakerConfig inherited)
            throws ConfigException {
        final YamlNode node = owner.node(CIRCUIT_BREAKER);
        if (node == null) {
            return inherited;
        }
        final Fields f = Fields.of(loading, node, owner.path(CIRCUIT_BREAKER), BREAKER_KEYS, Set.of());
        return new CircuitBreakerConfig(f.bool("enabled", true),
                f.integer("failure_threshold", inherited.failureThreshold(), 1, 1_000_000, "an integer >= 1"),
                f.durationMillis("reset_timeout", inherited.resetTimeoutMillis()),
                f.integer("half_open_requests", inherited.halfOpenRequests(), 1, 1_000_000, "an integer >= 1"));
    }

    static RateLimitConfig rateLimit(Fields.Loading loading, Fields owner, RateLimitConfig inherited)
            throws ConfigException {
        final YamlNode node = owner.node(RATE_LIMIT);
        if (node == null) {
            return inherited;
        }
        final Fields f = Fields.of(loading, node, owner.path(RATE_LIMIT), RATE_LIMIT_KEYS, Set.of());
        double rate = inherited.requestsPerSecond();
        final YamlNode.Entry rateEntry = f.entry("requests_per_second");
        if (rateEntry != null) {
            final Object value = rateEntry.value() instanceof YamlNode.ScalarNode
                    ? ((YamlNode.ScalarNode) rateEntry.value()).value() : null;
            if (!(value instanceof Number) || !(((Number) value).doubleValue() > 0)
                    || ((Number) value).doubleValue() > 1e9) {
                throw f.invalid(rateEntry, "a number of requests per second > 0, e.g. 20 or 0.5");
            }
            rate = ((Number) value).doubleValue();
        }
        // A service's own block gets its own counts unless it says otherwise.
        final boolean perService = f.bool("per_service", owner.path().startsWith("services["));
        return new RateLimitConfig(f.bool("enabled", true), rate,
                f.integer("burst", inherited.burst(), 1, 1_000_000_000, "an integer >= 1"), perService,
                f.integer("max_clients", inherited.maxClients(), 16, 1 << 26, "an integer 16.." + (1 << 26)));
    }
}
