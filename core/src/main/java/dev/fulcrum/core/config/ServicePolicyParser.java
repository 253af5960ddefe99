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
}
