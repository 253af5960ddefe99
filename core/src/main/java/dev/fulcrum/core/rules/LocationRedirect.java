package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.LocationConfig;

/**
 * A location's {@code redirect}: requests the location matches are answered with a redirect instead of being proxied:
 * all of them ({@code redirect_match: prefix}, the default except for location {@code /}) or only the one whose path
 * is the location's path ({@code exact}; terraster fired only for location {@code /} and request {@code /}, with 301
 * and the query dropped). Requests an exact redirect does not match are proxied.
 *
 * <p>Immutable. A target starting with {@code /} is made absolute with the scheme and Host the client used (as
 * terraster did); an absolute {@code http(s)://} target is sent as written. With {@code redirect_keep_query} the
 * request's query string is appended.
 */
public final class LocationRedirect {
    private final String target;
    private final int status;
    private final boolean keepQuery;
    private final boolean absolute;
    private final char querySeparator;
    /** The only request path redirected, or null when every path of the location is. */
    private final String exactPath;

    private LocationRedirect(String target, int status, boolean keepQuery, String exactPath) {
        this.target = target;
        this.exactPath = exactPath;
        this.status = status;
        this.keepQuery = keepQuery;
        this.absolute = isAbsolute(target);
        this.querySeparator = target.indexOf('?') >= 0 ? '&' : '?';
    }

    /** The location's redirect, or null when it has none. */
    public static LocationRedirect of(LocationConfig config) {
        if (config.redirect() == null) {
            return null;
        }
        return of(config.redirect(), config.redirectStatus(), config.redirectKeepQuery(),
                config.redirectExact() ? config.path() : null);
    }

    /**
     * @throws IllegalArgumentException when the target is neither a path starting with '/' nor an http(s) URL
     */
    public static LocationRedirect of(String target, int status, boolean keepQuery) {
        return of(target, status, keepQuery, null);
    }

    /** As above; with {@code exactPath}, only a request for that path is redirected. */
    private static LocationRedirect of(String target, int status, boolean keepQuery, String exactPath) {
        if (!LocationConfig.isRedirectStatus(status)) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308: " + status);
        }
        if (!target.startsWith("/") && !isAbsolute(target)) {
            throw new IllegalArgumentException("redirect target must start with '/' or be an http(s) URL: " + target);
        }
        return new LocationRedirect(target, status, keepQuery, exactPath);
    }

    static boolean isAbsolute(String target) {
        return target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8);
    }

    /** True when a request for this target (path and optional query, as received) is to be redirected. */
    public boolean matches(String requestUri) {
        if (exactPath == null) {
            return true;
        }
        final int query = requestUri.indexOf('?');
        final int pathEnd = query < 0 ? requestUri.length() : query;
        return pathEnd == exactPath.length() && requestUri.startsWith(exactPath);
    }

    public int status() {
        return status;
    }

    public String target() {
        return target;
    }

    /**
     * The {@code Location} value for one request.
     *
     * @param secure     whether the client used HTTPS
     * @param host       the Host the client sent (with its port, as sent), or null: the target then stays relative
     * @param requestUri the request target as received
     */
    public String location(boolean secure, CharSequence host, String requestUri) {
        final int queryStart = keepQuery ? requestUri.indexOf('?') : -1;
        final boolean withQuery = queryStart >= 0 && queryStart < requestUri.length() - 1;
        if (absolute || host == null || host.length() == 0) {
            return withQuery ? target + querySeparator + requestUri.substring(queryStart + 1) : target;
        }
        final StringBuilder sb = new StringBuilder(16 + host.length() + target.length()
                + (withQuery ? requestUri.length() - queryStart : 0));
        sb.append(secure ? "https://" : "http://").append(host).append(target);
        if (withQuery) {
            sb.append(querySeparator).append(requestUri, queryStart + 1, requestUri.length());
        }
        return sb.toString();
    }
}
