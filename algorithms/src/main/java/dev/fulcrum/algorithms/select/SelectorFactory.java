package dev.fulcrum.algorithms.select;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Maps algorithm names, canonical and alias, to fresh selector instances.
 *
 * <p>Thread-safe: immutable after class initialisation. Each location gets its own selector instance, so per-location
 * rotation and learning state never mix.
 */
public final class SelectorFactory {
    /** The algorithm a location uses when its config names none. */
    public static final String DEFAULT_ALGORITHM = RoundRobinSelector.NAME;

    private static final Map<String, Function<SelectorOptions, Selector>> BY_CANONICAL_NAME = new TreeMap<>();
    private static final Map<String, String> ALIASES = new TreeMap<>();

    static {
        register(RoundRobinSelector.NAME, o -> new RoundRobinSelector(), "roundrobin", "rr");
        register(WeightedRoundRobinSelector.NAME, o -> new WeightedRoundRobinSelector(),
                "weighted-roundrobin", "wrr", "smooth-weighted-round-robin");
        register(LeastConnectionsSelector.NAME, o -> new LeastConnectionsSelector(), "leastconn", "least-conn");
        register(WeightedLeastConnectionsSelector.NAME, o -> new WeightedLeastConnectionsSelector(), "wlc",
                "weighted-leastconn");
        register(RandomSelector.NAME, o -> new RandomSelector());
        register(WeightedRandomSelector.NAME, o -> new WeightedRandomSelector());
        register(PowerOfTwoChoicesSelector.NAME, o -> new PowerOfTwoChoicesSelector(), "p2c", "least-request");
        register(WeightedPowerOfTwoChoicesSelector.NAME, o -> new WeightedPowerOfTwoChoicesSelector(),
                "weighted-p2c", "weighted-least-request");
        register(IpHashSelector.NAME, o -> new IpHashSelector(), "iphash", "source");
        register(ConsistentHashSelector.NAME, o -> new ConsistentHashSelector(o.hashKey(), o.virtualNodes()),
                "consistent-hashing", "ring-hash", "ketama");
        register(MaglevSelector.NAME, o -> new MaglevSelector(o.hashKey(), o.maglevTableSize()));
        register(BoundedLoadSelector.NAME,
                o -> new BoundedLoadSelector(o.hashKey(), o.boundedLoadFactor(), o.virtualNodes()),
                "consistent-hash-bounded-load", "bounded-load-consistent-hash", "chbl");
        register(LeastResponseTimeSelector.NAME, o -> new LeastResponseTimeSelector(), "least-time", "lrt");
        register(StickySessionSelector.NAME,
                StickySessionSelector::create, "sticky",
                "sticky-sessions", "session-affinity");
        register(AdaptiveSelector.NAME, AdaptiveSelector::create);
    }

    private SelectorFactory() {
    }

    private static void register(String canonical, Function<SelectorOptions, Selector> supplier,
                                 String... aliases) {
        if (BY_CANONICAL_NAME.put(canonical, supplier) != null) {
            throw new IllegalStateException("algorithm registered twice: " + canonical);
        }
        ALIASES.put(canonical, canonical);
        ALIASES.put(canonical.replace('-', '_'), canonical);
        for (String alias : aliases) {
            ALIASES.put(alias, canonical);
            ALIASES.put(alias.replace('-', '_'), canonical);
        }
    }

    /** The canonical name for a configured name or alias (case-insensitive, '_' or '-'), or null if unknown. */
    public static String canonicalName(String configured) {
        if (configured == null) {
            return null;
        }
        return ALIASES.get(configured.trim().toLowerCase(Locale.ROOT));
    }

    /** Every accepted spelling (canonical names and aliases, '-' and '_') to its canonical name, sorted. */
    public static Map<String, String> aliases() {
        return Collections.unmodifiableMap(ALIASES);
    }

    /** Canonical names of every algorithm, sorted. */
    public static Set<String> algorithms() {
        return Collections.unmodifiableSet(BY_CANONICAL_NAME.keySet());
    }

    /**
     * A new selector for the named algorithm with default options.
     *
     * @throws IllegalArgumentException naming the known algorithms when the name is unknown
     */
    public static Selector create(String configured) {
        return create(configured, SelectorOptions.DEFAULTS);
    }

    /**
     * A new selector for the named algorithm, tuned by {@code options}.
     *
     * @throws IllegalArgumentException naming the known algorithms when the name is unknown, or when the options
     *                                  cannot work for it (a sticky or adaptive fallback that names itself)
     */
    public static Selector create(String configured, SelectorOptions options) {
        final String canonical = canonicalName(configured);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown algorithm '" + configured + "' (known: "
                    + String.join(", ", BY_CANONICAL_NAME.keySet()) + ")");
        }
        return BY_CANONICAL_NAME.get(canonical).apply(options);
    }

    /**
     * True for algorithms that may serve as sticky-session's fallback or as adaptive's candidates: everything but
     * those two themselves.
     */
    public static boolean isPlainAlgorithm(String canonical) {
        return BY_CANONICAL_NAME.containsKey(canonical) && !StickySessionSelector.NAME.equals(canonical)
                && !AdaptiveSelector.NAME.equals(canonical);
    }
}
