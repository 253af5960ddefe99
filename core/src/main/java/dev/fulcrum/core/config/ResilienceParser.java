package dev.fulcrum.core.config;


import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Assembles {@link ResilienceConfig}: health checks, outlier detection, circuit breakers, rate limits (each by its
 * own parser), {@code trusted_proxies} and {@code retry_budget}. A second pass over the tree {@link ConfigLoader}
 * has already validated.
 *
 * <p>Stateless; for the loading thread.
 */
final class ResilienceParser {
    static final String TRUSTED_PROXIES = "trusted_proxies";
    static final String RETRY_BUDGET = "retry_budget";
    private static final Set<String> RETRY_BUDGET_KEYS =
            Set.of("budget_percent", "min_retry_concurrency", "per_try_timeout");

    private ResilienceParser() {
    }

    static ResilienceConfig parse(Fields.Loading loading, Fields top, List<ServiceConfig> services,
                                  boolean shorthand) throws ConfigException {
        return new ResilienceConfig(HealthCheckParser.parse(loading, top, services, shorthand),
                OutlierParser.parse(loading, top, services, shorthand),
                ServicePolicyParser.byService(loading, top, services, shorthand, CircuitBreakerConfig.DISABLED,
                        ServicePolicyParser::breaker),
                ServicePolicyParser.byService(loading, top, services, shorthand, RateLimitConfig.DISABLED,
                        ServicePolicyParser::rateLimit),
                trustedProxies(top), retryBudget(loading, top));
    }

    private static RetryBudgetConfig retryBudget(Fields.Loading loading, Fields top) throws ConfigException {
        final YamlNode node = top.node(RETRY_BUDGET);
        if (node == null) {
            return RetryBudgetConfig.DEFAULTS;
        }
        final Fields f = Fields.of(loading, node, RETRY_BUDGET, RETRY_BUDGET_KEYS, Set.of());
        return new RetryBudgetConfig(
                f.integer("budget_percent", RetryBudgetConfig.DEFAULT_BUDGET_PERCENT, 0, 100, "an integer 0..100"),
                f.integer("min_retry_concurrency", RetryBudgetConfig.DEFAULT_MIN_RETRY_CONCURRENCY, 0,
                        1_000_000, "an integer >= 0"),
                f.has("per_try_timeout") ? f.durationMillis("per_try_timeout", 0) : 0);
    }

    private static List<String> trustedProxies(Fields top) throws ConfigException {
        final List<YamlNode> nodes = top.list(TRUSTED_PROXIES);
        final List<String> cidrs = new ArrayList<>(nodes.size());
        for (YamlNode node : nodes) {
            final Object value = node instanceof YamlNode.ScalarNode ? ((YamlNode.ScalarNode) node).value() : null;
            final String cidr = value == null ? null : value.toString().trim();
            if (cidr == null || !Cidr.isValid(cidr)) {
                throw top.loadingError(node.line(), top.path(TRUSTED_PROXIES),
                        node.describe() + " (expected: an address or CIDR such as 10.0.0.0/8 or ::1/128)");
            }
            cidrs.add(cidr);
        }
        return cidrs;
    }
}
