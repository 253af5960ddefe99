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
 * <p>Each level takes the block as its own key or, as terraster wrote it, as an item of that level's
 * {@code middleware} list (not both). In the middleware form a zero means the default, as it did in terraster
 * ({@code requests_per_second: 0} is 20, {@code failure_threshold: 0} is 5).
 *
 * <p>Stateless; for the loading thread.
 */
final class ServicePolicyParser {
    static final String CIRCUIT_BREAKER = "circuit_breaker";
    static final String RATE_LIMIT = "rate_limit";
    private static final String MIDDLEWARE = "middleware";
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
        final Fields f = block(loading, owner, CIRCUIT_BREAKER, BREAKER_KEYS);
        if (f == null) {
            return inherited;
        }
        final boolean zeroIsDefault = isMiddlewareForm(owner, f, CIRCUIT_BREAKER);
        return new CircuitBreakerConfig(f.bool("enabled", true),
                zeroIsDefault && isZero(f, "failure_threshold") ? inherited.failureThreshold()
                        : f.integer("failure_threshold", inherited.failureThreshold(), 1, 1_000_000,
                                "an integer >= 1"),
                zeroIsDefault && isZero(f, "reset_timeout") ? inherited.resetTimeoutMillis()
                        : f.durationMillis("reset_timeout", inherited.resetTimeoutMillis()),
                f.integer("half_open_requests", inherited.halfOpenRequests(), 1, 1_000_000, "an integer >= 1"));
    }

    static RateLimitConfig rateLimit(Fields.Loading loading, Fields owner, RateLimitConfig inherited)
            throws ConfigException {
        final Fields f = block(loading, owner, RATE_LIMIT, RATE_LIMIT_KEYS);
        if (f == null) {
            return inherited;
        }
        final boolean zeroIsDefault = isMiddlewareForm(owner, f, RATE_LIMIT);
        double rate = inherited.requestsPerSecond();
        final YamlNode.Entry rateEntry = f.entry("requests_per_second");
        if (rateEntry != null && !(zeroIsDefault && isZero(f, "requests_per_second"))) {
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
                zeroIsDefault && isZero(f, "burst") ? inherited.burst()
                        : f.integer("burst", inherited.burst(), 1, 1_000_000_000, "an integer >= 1"), perService,
                f.integer("max_clients", inherited.maxClients(), 16, 1 << 26, "an integer 16.." + (1 << 26)));
    }

    /**
     * The level's block for {@code key}: the key itself or an item of the level's {@code middleware} list; null
     * when neither is there.
     */
    private static Fields block(Fields.Loading loading, Fields owner, String key, Set<String> keys)
            throws ConfigException {
        Fields found = null;
        final YamlNode direct = owner.node(key);
        if (direct != null) {
            found = Fields.of(loading, direct, owner.path(key), keys, Set.of());
        }
        final List<YamlNode> items = owner.list(MIDDLEWARE);
        for (int i = 0; i < items.size(); i++) {
            final Fields item = Fields.checked(loading, items.get(i), Fields.index(owner.path(MIDDLEWARE), i));
            final YamlNode node = item.node(key);
            if (node == null) {
                continue;
            }
            if (found != null) {
                throw item.error(key, "a second " + key + " block at this level (first: " + found.path() + ")");
            }
            found = Fields.of(loading, node, item.path(key), keys, Set.of());
        }
        return found;
    }

    private static boolean isMiddlewareForm(Fields owner, Fields block, String key) {
        return !block.path().equals(owner.path(key));
    }

    /** True when the key holds the number 0 (or "0"), terraster's way of asking for the default. */
    private static boolean isZero(Fields f, String key) {
        final YamlNode.Entry entry = f.entry(key);
        if (entry == null || !(entry.value() instanceof YamlNode.ScalarNode)) {
            return false;
        }
        final Object value = ((YamlNode.ScalarNode) entry.value()).value();
        return value instanceof Number ? ((Number) value).doubleValue() == 0 : "0".equals(String.valueOf(value));
    }
}
