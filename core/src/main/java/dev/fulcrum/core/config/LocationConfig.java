package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorOptions;

import java.util.List;
import java.util.Objects;

/**
 * One location of a service: a path prefix, how to rewrite it, and the backends that serve it.
 *
 * <p>Immutable.
 *
 * @param path      the path prefix matched textually and case-sensitively against the request path; starts with '/'
 * @param rewrite   what replaces the prefix before proxying, or null to strip it only
 * @param redirect  when set, the transport answers {@code redirectStatus} to this target instead of proxying
 * @param algorithm canonical algorithm name, as {@code SelectorFactory.canonicalName} gives it
 * @param backends  at least one backend
 * @param options   the algorithm's parameters ({@code lb_options})
 * @param redirectStatus    301, 302, 303, 307 or 308
 * @param redirectKeepQuery append the request's query string to the redirect target
 * @param redirectExact     redirect only a request whose path is exactly {@code path}; otherwise every request the
 *                          location matches is redirected
 */
public record LocationConfig(String path, String rewrite, String redirect, String algorithm,
                             List<BackendConfig> backends, SelectorOptions options, int redirectStatus,
                             boolean redirectKeepQuery, boolean redirectExact) {

    /** terraster's default location path. */
    public static final String DEFAULT_PATH = "/";
    /** terraster only ever answered 301 (the seed's StatusMovedPermanently). */
    public static final int DEFAULT_REDIRECT_STATUS = 301;

    public LocationConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(options, "options");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("location path must start with '/': " + path);
        }
        if (rewrite != null && rewrite.isEmpty()) {
            rewrite = null;
        }
        if (redirect != null && redirect.isEmpty()) {
            redirect = null;
        }
        if (!isRedirectStatus(redirectStatus)) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308: " + redirectStatus);
        }
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("location " + path + " has no backends");
        }
    }

    /** A location whose redirect matches as {@link #defaultRedirectExact} says. */
    public LocationConfig(String path, String rewrite, String redirect, String algorithm,
                          List<BackendConfig> backends, SelectorOptions options, int redirectStatus,
                          boolean redirectKeepQuery) {
        this(path, rewrite, redirect, algorithm, backends, options, redirectStatus, redirectKeepQuery,
                defaultRedirectExact(path));
    }

    /**
     * The catch-all location {@code /} redirects only the request for {@code /} itself (terraster's rule: a root
     * redirect such as {@code /app/} must not also catch {@code /app/} and loop); any other location redirects every
     * path it matches.
     */
    public static boolean defaultRedirectExact(String path) {
        return DEFAULT_PATH.equals(path);
    }

    /** A location with algorithm parameters and a 301 redirect (if any) that drops the query, as terraster did. */
    public LocationConfig(String path, String rewrite, String redirect, String algorithm,
                          List<BackendConfig> backends, SelectorOptions options) {
        this(path, rewrite, redirect, algorithm, backends, options, DEFAULT_REDIRECT_STATUS, false);
    }

    /** A location with default algorithm parameters. */
    public LocationConfig(String path, String rewrite, String redirect, String algorithm,
                          List<BackendConfig> backends) {
        this(path, rewrite, redirect, algorithm, backends, SelectorOptions.DEFAULTS);
    }

    /** True for the statuses a location redirect may use: 301, 302, 303, 307, 308. */
    public static boolean isRedirectStatus(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
