package dev.fulcrum.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code outlier_detection} (top level, overridden key by key per service) into each service's
 * {@link OutlierConfig}. A second pass over the validated tree, like {@link HealthCheckParser}.
 *
 * <p>Stateless; for the loading thread.
 */
final class OutlierParser {
    static final String KEY = "outlier_detection";
    private static final Set<String> KEYS = Set.of("enabled", "consecutive_failures", "base_ejection_time",
            "max_ejection_time", "max_ejection_percent", "panic_threshold");

    private OutlierParser() {
    }

    static Map<String, OutlierConfig> parse(Fields.Loading loading, Fields top, List<ServiceConfig> services,
                                            boolean shorthand) throws ConfigException {
        final OutlierConfig global = level(loading, top, OutlierConfig.DISABLED);
        final Map<String, OutlierConfig> byService = new HashMap<>();
        if (shorthand) {
            byService.put(services.get(0).name(), global);
            return byService;
        }
        final List<YamlNode> nodes = top.list("services");
        for (int i = 0; i < nodes.size(); i++) {
            final Fields sf = Fields.checked(loading, nodes.get(i), Fields.index("services", i));
            byService.put(services.get(i).name(), level(loading, sf, global));
        }
        return byService;
    }

    private static OutlierConfig level(Fields.Loading loading, Fields owner, OutlierConfig inherited)
            throws ConfigException {
        final YamlNode node = owner.node(KEY);
        if (node == null) {
            return inherited;
        }
        final Fields f = Fields.of(loading, node, owner.path(KEY), KEYS, Set.of());
        final long base = f.durationMillis("base_ejection_time", inherited.baseEjectionMillis());
        final long max = f.durationMillis("max_ejection_time", Math.max(base, inherited.maxEjectionMillis()));
        if (max < base) {
            throw f.error("max_ejection_time", "shorter than base_ejection_time (" + base + " ms)");
        }
        return new OutlierConfig(f.bool("enabled", true),
                f.integer("consecutive_failures", inherited.consecutiveFailures(), 1, 1_000_000, "an integer >= 1"),
                base, max,
                f.integer("max_ejection_percent", inherited.maxEjectionPercent(), 0, 100, "an integer 0..100"),
                f.integer("panic_threshold", inherited.panicThresholdPercent(), 0, 100, "an integer 0..100"));
    }
}
