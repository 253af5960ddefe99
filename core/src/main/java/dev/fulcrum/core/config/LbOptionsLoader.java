package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.hash.MaglevTable;
import dev.fulcrum.algorithms.select.HashKey;
import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.select.SelectorOptions;
import dev.fulcrum.algorithms.select.StickySessionSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an {@code lb_options} mapping (top level or per location) into {@link SelectorOptions}.
 *
 * <p>Stateless; used by {@link ConfigLoader} on the loading thread. A location's block starts from the top-level
 * block and overrides only the keys it sets. Every error names file, line and key.
 */
final class LbOptionsLoader {
    static final String KEY = "lb_options";

    private static final Set<String> KEYS = Set.of("hash_key", "bounded_load_factor", "maglev_table_size",
            "virtual_nodes", "slow_start", "sticky", "adaptive");
    private static final Set<String> STICKY_KEYS = Set.of("cookie", "fallback");
    private static final Set<String> ADAPTIVE_KEYS = Set.of("candidates", "window", "min_samples", "exploit_windows");

    /** A bound far above useful factors; a typo such as 125 (meant 1.25) still passes, which is harmless. */
    static final double MAX_BOUNDED_LOAD_FACTOR = 1000.0;
    /** 2^24 slots (64 MB of ints per table at most): far beyond the 100 x 1024 backends Maglev needs. */
    static final int MAX_MAGLEV_TABLE_SIZE = 1 << 24;
    /** Ring points per backend beyond which the ring stops getting more even but keeps getting bigger. */
    static final int MAX_VIRTUAL_NODES = 10_000;

    private LbOptionsLoader() {
    }

    /** The options in {@code fields}' {@code lb_options} entry, starting from {@code base}; base when absent. */
    static SelectorOptions read(Fields.Loading loading, Fields fields, SelectorOptions base) throws ConfigException {
        final YamlNode node = fields.node(KEY);
        if (node == null) {
            return base;
        }
        final Fields f = Fields.of(loading, node, fields.path(KEY), KEYS, Set.of());
        HashKey hashKey = base.hashKey();
        final String hashKeySpec = f.string("hash_key", null);
        if (hashKeySpec != null) {
            try {
                hashKey = HashKey.parse(hashKeySpec);
            } catch (IllegalArgumentException e) {
                throw f.invalid(f.entry("hash_key"), "client_address, path, header:NAME or cookie:NAME");
            }
        }
        final double factor = f.number("bounded_load_factor", base.boundedLoadFactor(), Math.nextUp(1.0),
                MAX_BOUNDED_LOAD_FACTOR, "a number greater than 1, such as 1.25");
        final int maglevSize = f.integer("maglev_table_size", base.maglevTableSize(), 2, MAX_MAGLEV_TABLE_SIZE,
                "an integer 2.." + MAX_MAGLEV_TABLE_SIZE + " (rounded up to a prime; default "
                        + MaglevTable.DEFAULT_SIZE + ")");
        final int virtualNodes = f.integer("virtual_nodes", base.virtualNodes(), 1, MAX_VIRTUAL_NODES,
                "an integer 1.." + MAX_VIRTUAL_NODES);
        final long slowStartNanos = f.has("slow_start") && f.entry("slow_start") != null
                ? f.durationMillis("slow_start", 0L) * 1_000_000L
                : base.slowStartNanos();

        String cookie = base.stickyCookie();
        String fallback = base.stickyFallback();
        final YamlNode stickyNode = f.node("sticky");
        if (stickyNode != null) {
            final Fields s = Fields.of(loading, stickyNode, f.path("sticky"), STICKY_KEYS, Set.of());
            cookie = s.string("cookie", cookie).trim();
            if (!StickySessionSelector.isValidCookieName(cookie)) {
                throw s.invalid(s.entry("cookie"), "a cookie name (letters, digits and !#$%&'*+-.^_`|~)");
            }
            if (s.entry("fallback") != null) {
                fallback = plainAlgorithm(s, "fallback");
            }
        }

        SelectorOptions.AdaptiveOptions adaptive = base.adaptive();
        final YamlNode adaptiveNode = f.node("adaptive");
        if (adaptiveNode != null) {
            final Fields a = Fields.of(loading, adaptiveNode, f.path("adaptive"), ADAPTIVE_KEYS, Set.of());
            List<String> candidates = adaptive.candidates();
            if (a.entry("candidates") != null) {
                candidates = candidates(loading, a);
            }
            final long windowNanos = a.entry("window") != null
                    ? a.durationMillis("window", 0L) * 1_000_000L
                    : adaptive.windowNanos();
            adaptive = new SelectorOptions.AdaptiveOptions(candidates, windowNanos,
                    a.integer("min_samples", adaptive.minSamples(), 1, Integer.MAX_VALUE, "an integer >= 1"),
                    a.integer("exploit_windows", adaptive.exploitWindows(), 1, Integer.MAX_VALUE,
                            "an integer >= 1"));
        }
        return new SelectorOptions(hashKey, factor, maglevSize, virtualNodes, slowStartNanos, cookie, fallback,
                adaptive);
    }

    private static List<String> candidates(Fields.Loading loading, Fields a) throws ConfigException {
        final List<YamlNode> items = a.list("candidates");
        if (items.size() < 2) {
            throw a.invalid(a.entry("candidates"), "a list of at least two algorithms");
        }
        final List<String> names = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            final YamlNode item = items.get(i);
            final String where = Fields.index(a.path("candidates"), i);
            final Object value = item instanceof YamlNode.ScalarNode ? ((YamlNode.ScalarNode) item).value() : null;
            final String canonical = value instanceof String ? SelectorFactory.canonicalName((String) value) : null;
            if (canonical == null || !SelectorFactory.isPlainAlgorithm(canonical)) {
                throw loading.error(item.line(), where, item.describe() + " (expected: an algorithm other than"
                        + " sticky-session and adaptive: " + plainAlgorithms() + ")");
            }
            if (names.contains(canonical)) {
                throw loading.error(item.line(), where, item.describe() + " (expected: each candidate once)");
            }
            names.add(canonical);
        }
        return names;
    }

    private static String plainAlgorithm(Fields f, String key) throws ConfigException {
        final String configured = f.string(key, null);
        final String canonical = SelectorFactory.canonicalName(configured);
        if (canonical == null || !SelectorFactory.isPlainAlgorithm(canonical)) {
            throw f.invalid(f.entry(key), "an algorithm other than sticky-session and adaptive: "
                    + plainAlgorithms());
        }
        return canonical;
    }

    private static String plainAlgorithms() {
        final List<String> names = new ArrayList<>();
        for (String name : SelectorFactory.algorithms()) {
            if (SelectorFactory.isPlainAlgorithm(name)) {
                names.add(name);
            }
        }
        return String.join(", ", names);
    }
}
