package dev.fulcrum.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads every {@code health_check} block (global, per service, per backend) into the effective
 * {@link HealthCheckConfig} of each backend of each location. A second pass over the YAML tree that
 * {@link ConfigLoader} has already validated and turned into services, so backend i of location j of service k
 * in the tree is the same backend in the config.
 *
 * <p>Stateless; for the loading thread.
 */
final class HealthCheckParser {
    static final String KEY = "health_check";
    private static final Set<String> KEYS = Set.of("enabled", "type", "path", "expected_status", "host", "interval",
            "timeout", "thresholds", "jitter_percent", "check_before_traffic");
    /** Probes of https backends use the backend's own TLS keys; the check-level key is kept for terraster. */
    private static final Set<String> NOT_BUILT = Set.of("skip_tls_verify");
    private static final Set<String> THRESHOLD_KEYS = Set.of("healthy", "unhealthy");
    private static final int MAX_THRESHOLD = 1_000;

    private HealthCheckParser() {
    }

    /** The effective check of every backend that has one, by {@link ResilienceConfig#targetKey}. */
    static Map<String, HealthCheckConfig> parse(Fields.Loading loading, Fields top, List<ServiceConfig> services,
                                                boolean shorthand) throws ConfigException {
        final Map<String, HealthCheckConfig> byTarget = new HashMap<>();
        final HealthCheckConfig global = level(loading, top, HealthCheckConfig.DISABLED);
        if (shorthand) {
            final ServiceConfig service = services.get(0);
            addBackends(loading, top.list("backends"), "backends", service, service.locations().get(0), global,
                    byTarget);
            return byTarget;
        }
        final List<YamlNode> serviceNodes = top.list("services");
        for (int i = 0; i < serviceNodes.size(); i++) {
            final String path = Fields.index("services", i);
            final Fields sf = Fields.checked(loading, serviceNodes.get(i), path);
            final ServiceConfig service = services.get(i);
            final HealthCheckConfig serviceLevel = level(loading, sf, global);
            final List<YamlNode> locationNodes = sf.list("locations");
            for (int j = 0; j < locationNodes.size(); j++) {
                final String locationPath = Fields.index(path + ".locations", j);
                final Fields lf = Fields.checked(loading, locationNodes.get(j), locationPath);
                addBackends(loading, lf.list("backends"), lf.path("backends"), service, service.locations().get(j),
                        serviceLevel, byTarget);
            }
        }
        return byTarget;
    }

    private static void addBackends(Fields.Loading loading, List<YamlNode> nodes, String path, ServiceConfig service,
                                    LocationConfig location, HealthCheckConfig inherited,
                                    Map<String, HealthCheckConfig> byTarget) throws ConfigException {
        for (int k = 0; k < nodes.size(); k++) {
            final Fields bf = Fields.checked(loading, nodes.get(k), Fields.index(path, k));
            final HealthCheckConfig effective = level(loading, bf, inherited);
            // Disabled ones too: a listed backend that turned its check off must not fall back to the location's.
            byTarget.put(ResilienceConfig.targetKey(service.name(), location.path(),
                    location.backends().get(k).key()), effective);
        }
        if (inherited.enabled()) {
            // What a backend the admin API adds to this location inherits (it has no block of its own).
            byTarget.put(ResilienceConfig.targetKey(service.name(), location.path(), ResilienceConfig.ANY_BACKEND),
                    inherited);
        }
    }

    /** The block under {@code owner.health_check} applied over {@code inherited}; inherited when absent. */
    private static HealthCheckConfig level(Fields.Loading loading, Fields owner, HealthCheckConfig inherited)
            throws ConfigException {
        final YamlNode node = owner.node(KEY);
        if (node == null) {
            return inherited;
        }
        final Fields f = Fields.of(loading, node, owner.path(KEY), KEYS, NOT_BUILT);
        final String type = f.string("type", inherited.type()).trim().toLowerCase(Locale.ROOT);
        if (!type.equals(HealthCheckConfig.TYPE_HTTP) && !type.equals(HealthCheckConfig.TYPE_TCP)) {
            throw f.invalid(f.entry("type"), "http or tcp");
        }
        String probePath = f.string("path", inherited.path());
        if (probePath.isEmpty()) {
            probePath = inherited.path(); // terraster's "" meant its default, /health
        }
        if (!probePath.startsWith("/") || !isVisibleAscii(probePath)) {
            throw f.invalid(f.entry("path"), "a path starting with '/', without spaces");
        }
        int statusMin = inherited.expectedStatusMin();
        int statusMax = inherited.expectedStatusMax();
        final YamlNode.Entry status = f.entry("expected_status");
        if (status != null) {
            final int[] range = statusRange(status);
            if (range == null) {
                throw f.invalid(status, "a status such as 200, or a range such as \"200-399\" (100..599)");
            }
            statusMin = range[0];
            statusMax = range[1];
        }
        final String host = f.has("host") ? f.string("host", null) : inherited.host();
        if (host != null && (host.isBlank() || !isVisibleAscii(host))) {
            throw f.invalid(f.entry("host"), "a host name, optionally with :port");
        }
        final long interval = f.durationMillis("interval", inherited.intervalMillis());
        final long timeout = f.durationMillis("timeout", inherited.timeoutMillis());
        int healthy = inherited.healthyThreshold();
        int unhealthy = inherited.unhealthyThreshold();
        final YamlNode thresholdsNode = f.node("thresholds");
        if (thresholdsNode != null) {
            final Fields t = Fields.of(loading, thresholdsNode, f.path("thresholds"), THRESHOLD_KEYS, Set.of());
            final String expected = "an integer 1.." + MAX_THRESHOLD;
            healthy = t.integer("healthy", healthy, 1, MAX_THRESHOLD, expected);
            unhealthy = t.integer("unhealthy", unhealthy, 1, MAX_THRESHOLD, expected);
        }
        final int jitter = f.integer("jitter_percent", inherited.jitterPercent(), 0, 100, "an integer 0..100");
        return new HealthCheckConfig(f.bool("enabled", true), type, probePath, statusMin, statusMax, host, interval,
                timeout, jitter, healthy, unhealthy,
                f.bool("check_before_traffic", inherited.checkBeforeTraffic()));
    }

    private static int[] statusRange(YamlNode.Entry entry) {
        if (!(entry.value() instanceof YamlNode.ScalarNode)) {
            return null;
        }
        final String text = String.valueOf(((YamlNode.ScalarNode) entry.value()).value()).trim();
        final int dash = text.indexOf('-');
        try {
            final int min = Integer.parseInt(dash < 0 ? text : text.substring(0, dash).trim());
            final int max = dash < 0 ? min : Integer.parseInt(text.substring(dash + 1).trim());
            return min >= 100 && max <= 599 && min <= max ? new int[] {min, max} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
