package dev.fulcrum.algorithms.select;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Maps algorithm names, canonical and alias, to fresh selector instances.
 *
 * <p>Thread-safe: immutable after class initialisation. Each location gets its own selector instance, so per-location
 * rotation and learning state never mix.
 */
public final class SelectorFactory {
    /** The algorithm a location uses when its config names none. */
    public static final String DEFAULT_ALGORITHM = RoundRobinSelector.NAME;

    private static final Map<String, Supplier<Selector>> BY_CANONICAL_NAME = new TreeMap<>();
    private static final Map<String, String> ALIASES = new TreeMap<>();

    static {
        register(RoundRobinSelector.NAME, RoundRobinSelector::new, "roundrobin", "rr");
        register(WeightedRoundRobinSelector.NAME, WeightedRoundRobinSelector::new,
                "weighted-roundrobin", "wrr", "smooth-weighted-round-robin");
        register(LeastConnectionsSelector.NAME, LeastConnectionsSelector::new, "leastconn", "least-conn");
        register(WeightedLeastConnectionsSelector.NAME, WeightedLeastConnectionsSelector::new, "wlc",
                "weighted-leastconn");
        register(RandomSelector.NAME, RandomSelector::new);
        register(WeightedRandomSelector.NAME, WeightedRandomSelector::new);
        register(PowerOfTwoChoicesSelector.NAME, PowerOfTwoChoicesSelector::new, "p2c", "least-request");
        register(WeightedPowerOfTwoChoicesSelector.NAME, WeightedPowerOfTwoChoicesSelector::new, "weighted-p2c",
                "weighted-least-request");
        register(IpHashSelector.NAME, IpHashSelector::new, "iphash", "source");
        register(ConsistentHashSelector.NAME, ConsistentHashSelector::new, "consistent-hashing", "ring-hash",
                "ketama");
        register(MaglevSelector.NAME, MaglevSelector::new);
        register(BoundedLoadSelector.NAME, BoundedLoadSelector::new, "consistent-hash-bounded-load",
                "bounded-load-consistent-hash", "chbl");
        register(LeastResponseTimeSelector.NAME, LeastResponseTimeSelector::new, "least-time", "lrt");
    }

    private SelectorFactory() {
    }

    private static void register(String canonical, Supplier<Selector> supplier, String... aliases) {
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
     * A new selector for the named algorithm.
     *
     * @throws IllegalArgumentException naming the known algorithms when the name is unknown
     */
    public static Selector create(String configured) {
        final String canonical = canonicalName(configured);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown algorithm '" + configured + "' (known: "
                    + String.join(", ", BY_CANONICAL_NAME.keySet()) + ")");
        }
        return BY_CANONICAL_NAME.get(canonical).get();
    }
}
