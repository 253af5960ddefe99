package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorFactory;

import java.util.Locale;
import java.util.Set;

/**
 * Turns a configured algorithm name into its canonical name, telling apart unknown names from known ones not
 * built yet.
 *
 * <p>Stateless and thread-safe. {@link SelectorFactory} is the only authority on what exists; the list here only
 * improves the message for names users will try (terraster's six and the ones on Fulcrum's roadmap).
 */
final class Algorithms {
    private static final Set<String> PLANNED = Set.of("round-robin", "weighted-round-robin", "least-connections",
            "weighted-least-connections", "ip-hash", "least-response-time", "sticky-session", "random", "p2c",
            "power-of-two-choices", "maglev", "ring-hash", "consistent-hash");

    /** The planned names, for tests that must adapt as selectors get built. */
    static final Set<String> PLANNED_FOR_TESTS = PLANNED;

    private Algorithms() {
    }

    /**
     * @return the canonical name
     * @throws IllegalArgumentException whose message is a config-error reason
     */
    static String canonical(String configured) {
        final String canonical = SelectorFactory.canonicalName(configured);
        if (canonical != null) {
            return canonical;
        }
        final String available = String.join(", ", SelectorFactory.algorithms());
        final String normalised = configured.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (PLANNED.contains(normalised)) {
            throw new IllegalArgumentException("\"" + configured + "\" (algorithm not available yet; available: "
                    + available + ")");
        }
        throw new IllegalArgumentException("\"" + configured + "\" (expected one of: " + available + ")");
    }
}
