package dev.fulcrum.core.route;

import dev.fulcrum.core.rules.ServiceRules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One service's locations, ordered for longest-prefix matching.
 *
 * <p>Immutable and thread-safe; {@link #match} allocates nothing.
 */
final class ServiceRoutes {
    private final String[] paths;
    private final Location[] locations;
    private final ServiceRules rules;

    ServiceRoutes(List<Location> unordered, ServiceRules rules) {
        this.rules = rules;
        final List<Location> sorted = new ArrayList<>(unordered);
        // Longest path first, so the first prefix that matches is the longest. Two different paths of the same
        // length cannot both prefix one request path, so ties need no rule.
        sorted.sort(Comparator.comparingInt((Location l) -> l.path().length()).reversed());
        this.locations = sorted.toArray(new Location[0]);
        this.paths = new String[locations.length];
        for (int i = 0; i < locations.length; i++) {
            paths[i] = locations[i].path();
        }
    }

    /** The service's rules, which also shape the answers Fulcrum gives when no location matches. */
    ServiceRules rules() {
        return rules;
    }

    /**
     * The location with the longest path that is a textual, case-sensitive prefix of the target's path (the part
     * before '?'), or null.
     */
    Location match(CharSequence requestTarget) {
        final int pathEnd = pathEnd(requestTarget);
        final String[] candidates = paths;
        for (int i = 0; i < candidates.length; i++) {
            if (isPrefix(candidates[i], requestTarget, pathEnd)) {
                return locations[i];
            }
        }
        return null;
    }

    private static int pathEnd(CharSequence target) {
        final int n = target.length();
        for (int i = 0; i < n; i++) {
            if (target.charAt(i) == '?') {
                return i;
            }
        }
        return n;
    }

    private static boolean isPrefix(String prefix, CharSequence target, int pathEnd) {
        final int n = prefix.length();
        if (n > pathEnd) {
            return false;
        }
        for (int i = n - 1; i >= 0; i--) {
            // From the end: locations sharing a leading "/" or "/api" differ at their tails, so mismatches show early.
            if (prefix.charAt(i) != target.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
