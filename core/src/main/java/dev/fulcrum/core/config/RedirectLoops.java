package dev.fulcrum.core.config;

import java.util.List;

/**
 * Finds a location redirect that would send clients back to itself: its relative target is routed, on the same
 * service, to the same location, and that location would redirect the target again. A browser following it loops
 * until it gives up, so the config is refused at load instead.
 *
 * <p>Absolute targets ({@code https://...}) are not checked: they may name another host or port.
 */
final class RedirectLoops {
    private RedirectLoops() {
    }

    /** The reason the location's redirect loops, or null when it does not. */
    static String loopOf(LocationConfig location, List<LocationConfig> serviceLocations) {
        final String target = location.redirect();
        if (target == null || !target.startsWith("/")) {
            return null;
        }
        final int query = target.indexOf('?');
        final String targetPath = query < 0 ? target : target.substring(0, query);
        if (location.redirectExact()) {
            return targetPath.equals(location.path())
                    ? "redirect loop: the target \"" + target + "\" is this location's own path" : null;
        }
        if (routedTo(targetPath, serviceLocations) != location) {
            return null;
        }
        return "redirect loop: the target \"" + target + "\" is matched by this location itself (path \""
                + location.path() + "\"); add a location for the target, or set redirect_match: exact";
    }

    /** The location the router picks for a path: the longest matching prefix, as the route table does. */
    private static LocationConfig routedTo(String requestPath, List<LocationConfig> locations) {
        LocationConfig best = null;
        for (LocationConfig candidate : locations) {
            if (requestPath.startsWith(candidate.path())
                    && (best == null || candidate.path().length() > best.path().length())) {
                best = candidate;
            }
        }
        return best;
    }
}
