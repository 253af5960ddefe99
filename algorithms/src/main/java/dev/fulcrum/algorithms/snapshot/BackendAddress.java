package dev.fulcrum.algorithms.snapshot;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a backend listens: scheme, host and port, parsed once from its configured URL.
 *
 * <p>Immutable.
 *
 * @param url    the URL as configured, for logs and the admin API
 * @param secure true for https
 * @param host   host name or literal address, without brackets
 * @param port   TCP port (default 80 or 443 by scheme)
 * @param path   the URL's path, or "" when it has none
 */
public record BackendAddress(String url, boolean secure, String host, int port, String path) {

    public BackendAddress {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code http://host[:port][/path]} or {@code https://...}.
     *
     * @throws IllegalArgumentException with a short reason when the URL is not an http or https URL with a host
     */
    public static BackendAddress parse(String url) {
        final URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("not a valid URL");
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        final boolean secure;
        if ("http".equals(scheme)) {
            secure = false;
        } else if ("https".equals(scheme)) {
            secure = true;
        } else {
            throw new IllegalArgumentException("expected an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
        final String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new BackendAddress(url.trim(), secure, host, port, path);
    }

    /** host:port as a Host header or authority would carry it (IPv6 literals bracketed). */
    public String authority() {
        final String h = host.indexOf(':') >= 0 ? '[' + host + ']' : host;
        return h + ':' + port;
    }

    @Override
    public String toString() {
        return url;
    }
}
