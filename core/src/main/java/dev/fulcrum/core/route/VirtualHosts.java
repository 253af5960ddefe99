package dev.fulcrum.core.route;

import dev.fulcrum.core.rules.ServiceRules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services of one listener port, chosen by the request's Host header.
 *
 * <p>Immutable and thread-safe; {@link #route} allocates nothing. Host matching ignores ASCII case and the Host
 * header's port (the listener port already chose this table: terraster used the Host port instead, so a client
 * reaching port 8080 with a bare Host got 404). Order: exact names, then {@code *.example.com} wildcards (any depth
 * of subdomain, never the apex, longest suffix first), then the port's default service (configured without host or
 * with {@code "*"}), which also takes requests with no or an empty Host header.
 */
public final class VirtualHosts {
    private final int port;
    private final HostTable<ServiceRoutes> exact;
    /** Keyed by the suffix with its leading dot: "*.example.com" is stored as ".example.com". */
    private final HostTable<ServiceRoutes> wildcards;
    private final boolean hasWildcards;
    private final ServiceRoutes defaultService;

    VirtualHosts(int port, Map<String, ServiceRoutes> exact, Map<String, ServiceRoutes> wildcards,
                 ServiceRoutes defaultService) {
        this.port = port;
        this.exact = new HostTable<>(exact);
        this.wildcards = new HostTable<>(wildcards);
        this.hasWildcards = !wildcards.isEmpty();
        this.defaultService = defaultService;
    }

    public int port() {
        return port;
    }

    /**
     * @param hostHeader    the Host header as received (may carry ":port" or be a bracketed IPv6 literal), or null
     * @param requestTarget the origin-form request target (path and optional query)
     * @return the location to serve the request, or null (no service for the host, or no location for the path)
     */
    public Location route(CharSequence hostHeader, CharSequence requestTarget) {
        final ServiceRoutes service = service(hostHeader);
        return service == null ? null : service.match(requestTarget);
    }

    /**
     * The rules of the service the Host header names (whether or not one of its locations matches), or null when
     * no service of this port takes the host: what shapes the 404 of a location miss.
     */
    public ServiceRules serviceRules(CharSequence hostHeader) {
        final ServiceRoutes service = service(hostHeader);
        return service == null ? null : service.rules();
    }

    /** True when some service of this port takes requests whatever their Host. */
    public boolean hasDefaultService() {
        return defaultService != null;
    }

    private ServiceRoutes service(CharSequence host) {
        if (host == null) {
            return defaultService;
        }
        int start = 0;
        int end = host.length();
        while (start < end && isWhitespace(host.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(host.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return defaultService;
        }
        if (host.charAt(start) == '[') {
            final int close = indexOf(host, ']', start + 1, end);
            if (close < 0) {
                return defaultService; // malformed literal: no name can match it
            }
            start++;
            end = close;
        } else {
            final int colon = indexOf(host, ':', start, end);
            // One colon separates the port; more than one is an unbracketed IPv6 literal, kept whole.
            if (colon >= 0 && indexOf(host, ':', colon + 1, end) < 0) {
                end = colon;
            }
        }
        if (end > start && host.charAt(end - 1) == '.') {
            end--; // "example.com." is the fully qualified spelling of "example.com"
        }
        if (start == end) {
            return defaultService;
        }
        final ServiceRoutes exactMatch = exact.get(host, start, end);
        if (exactMatch != null) {
            return exactMatch;
        }
        if (hasWildcards) {
            // Leftmost dot first gives the longest suffix, i.e. the most specific wildcard. i > start keeps the
            // first label non-empty, so "*.example.com" never matches "example.com" itself.
            for (int i = start + 1; i < end; i++) {
                if (host.charAt(i) == '.') {
                    final ServiceRoutes wildcardMatch = wildcards.get(host, i, end);
                    if (wildcardMatch != null) {
                        return wildcardMatch;
                    }
                }
            }
        }
        return defaultService;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    static VirtualHosts of(int port, List<ServiceRoutesEntry> services) {
        final LinkedHashMap<String, ServiceRoutes> exact = new LinkedHashMap<>();
        final LinkedHashMap<String, ServiceRoutes> wildcards = new LinkedHashMap<>();
        ServiceRoutes defaultService = null;
        for (ServiceRoutesEntry entry : services) {
            final String host = entry.host();
            if (host == null) {
                if (defaultService != null) {
                    throw new IllegalArgumentException("two default services on port " + port);
                }
                defaultService = entry.routes();
            } else if (host.startsWith("*.")) {
                if (wildcards.put(host.substring(1), entry.routes()) != null) {
                    throw new IllegalArgumentException("duplicate host " + host + " on port " + port);
                }
            } else if (exact.put(host, entry.routes()) != null) {
                throw new IllegalArgumentException("duplicate host " + host + " on port " + port);
            }
        }
        return new VirtualHosts(port, exact, wildcards, defaultService);
    }

    /** A service's lower-case host (null for default) and its routes; build-time only. */
    record ServiceRoutesEntry(String host, ServiceRoutes routes) {
    }
}
