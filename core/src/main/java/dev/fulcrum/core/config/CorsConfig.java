package dev.fulcrum.core.config;

import java.util.List;

/**
 * The {@code cors} middleware (Fetch standard, CORS protocol).
 *
 * <p>Immutable. A service block overrides the global block field by field.
 *
 * @param allowedOrigins   origins allowed, compared case-insensitively; {@code "*"} allows any
 * @param allowedMethods   methods announced in preflight answers
 * @param allowedHeaders   request headers announced in preflight answers; empty echoes what the browser asked for
 * @param exposedHeaders   response headers a page may read
 * @param allowCredentials send {@code Access-Control-Allow-Credentials: true} (the origin is then always echoed,
 *                         never {@code *})
 * @param maxAgeSeconds    how long a browser may cache a preflight answer; 0 sends no Max-Age
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                         List<String> exposedHeaders, boolean allowCredentials, int maxAgeSeconds) {

    /** The CORS-safelisted methods: what a browser may send without asking, so a sensible default to announce. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");

    public static final CorsConfig OFF = new CorsConfig(List.of(), DEFAULT_METHODS, List.of(), List.of(), false, 0);

    public CorsConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
    }

    /** No origin allowed: the middleware does nothing. */
    public boolean isOff() {
        return allowedOrigins.isEmpty();
    }
}
