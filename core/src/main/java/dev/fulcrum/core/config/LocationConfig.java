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
 * @param redirect  when set, the transport answers 301 to this target instead of proxying; null otherwise
 * @param algorithm canonical algorithm name, as {@code SelectorFactory.canonicalName} gives it
 * @param backends  at least one backend
 * @param options   the algorithm's parameters ({@code lb_options})
 */
public record LocationConfig(String path, String rewrite, String redirect, String algorithm,
                             List<BackendConfig> backends, SelectorOptions options) {

    /** terraster's default location path. */
    public static final String DEFAULT_PATH = "/";

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
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("location " + path + " has no backends");
        }
    }

    /** A location with default algorithm parameters. */
    public LocationConfig(String path, String rewrite, String redirect, String algorithm,
                          List<BackendConfig> backends) {
        this(path, rewrite, redirect, algorithm, backends, SelectorOptions.DEFAULTS);
    }
}
