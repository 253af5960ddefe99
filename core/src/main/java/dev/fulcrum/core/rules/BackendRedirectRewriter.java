package dev.fulcrum.core.rules;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.core.rewrite.UrlRewriter;

/**
 * Reverses a location's rewrite on a backend's redirect: a 3xx {@code Location} that points at the backend's own
 * origin is turned into the origin the client used, with the location prefix put back (what nginx calls
 * {@code proxy_redirect default}).
 *
 * <p>Immutable; one per location. Relative Locations and Locations naming any other origin are left alone.
 * terraster put the client's ip:port in place of the host and could produce {@code /api//login}; here the host is
 * the client's Host header and the prefix is joined with one slash.
 */
public final class BackendRedirectRewriter {
    private final String locationPath;
    private final String replacement;
    private final boolean identity;

    public BackendRedirectRewriter(UrlRewriter rewriter) {
        this.locationPath = rewriter.locationPath();
        this.replacement = rewriter.replacement();
        this.identity = rewriter.isIdentity();
    }

    /** True for the statuses whose Location is a redirect target. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * @param location   the backend's Location header value
     * @param backend    the backend that answered
     * @param secure     whether the client used HTTPS
     * @param clientHost the Host the client sent, or null (the result is then relative)
     * @return the value to send to the client, or null to keep the backend's value
     */
    public String rewrite(String location, BackendAddress backend, boolean secure, CharSequence clientHost) {
        final int schemeEnd;
        final int defaultPort;
        if (location.regionMatches(true, 0, "http://", 0, 7)) {
            schemeEnd = 7;
            defaultPort = 80;
        } else if (location.regionMatches(true, 0, "https://", 0, 8)) {
            schemeEnd = 8;
            defaultPort = 443;
        } else {
            return null;
        }
        int authorityEnd = location.length();
        for (int i = schemeEnd; i < location.length(); i++) {
            final char c = location.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        if (!sameOrigin(location, schemeEnd, authorityEnd, defaultPort, backend)) {
            return null;
        }
        int pathEnd = authorityEnd;
        while (pathEnd < location.length() && location.charAt(pathEnd) != '?' && location.charAt(pathEnd) != '#') {
            pathEnd++;
        }
        final String path = authorityEnd == pathEnd ? "/" : location.substring(authorityEnd, pathEnd);
        final String clientPath = reversePath(path);
        final StringBuilder sb = new StringBuilder(location.length() + locationPath.length() + 16);
        if (clientHost != null && clientHost.length() > 0) {
            sb.append(secure ? "https://" : "http://").append(clientHost);
        }
        return sb.append(clientPath).append(location, pathEnd, location.length()).toString();
    }

    /** The client-side path that the location's rewrite would turn into {@code backendPath}. */
    String reversePath(String backendPath) {
        if (identity) {
            return backendPath;
        }
        final String rest;
        if (replacement.isEmpty()) {
            rest = backendPath;
        } else if (backendPath.startsWith(replacement)
                && (backendPath.length() == replacement.length() || backendPath.charAt(replacement.length()) == '/')) {
            rest = backendPath.substring(replacement.length());
        } else {
            return backendPath; // outside what this location maps: nothing to reverse
        }
        if (rest.isEmpty()) {
            return locationPath;
        }
        if (locationPath.endsWith("/")) {
            return locationPath + rest.substring(1);
        }
        return locationPath + rest;
    }

    private static boolean sameOrigin(String location, int start, int end, int defaultPort, BackendAddress backend) {
        int hostEnd = end;
        int port = defaultPort;
        int hostStart = start;
        int hostStop;
        if (start < end && location.charAt(start) == '[') {
            final int close = location.indexOf(']', start);
            if (close < 0 || close > end) {
                return false;
            }
            hostStart = start + 1;
            hostStop = close;
            hostEnd = close + 1;
        } else {
            final int colon = location.indexOf(':', start);
            hostStop = colon >= 0 && colon < end ? colon : end;
            hostEnd = hostStop;
        }
        if (hostEnd < end) {
            if (location.charAt(hostEnd) != ':') {
                return false;
            }
            try {
                port = Integer.parseInt(location, hostEnd + 1, end, 10);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        final String host = backend.host();
        return port == backend.port() && hostStop - hostStart == host.length()
                && location.regionMatches(true, hostStart, host, 0, host.length());
    }
}
