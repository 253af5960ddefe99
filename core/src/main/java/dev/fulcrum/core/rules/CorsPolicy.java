package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.CorsConfig;

import java.util.List;
import java.util.Locale;

/**
 * The {@code cors} middleware, compiled: which origins are allowed and the header values to send, joined once.
 *
 * <p>Immutable. Differences from terraster, which answered every OPTIONS request itself and sent the configured
 * origin list comma-joined: only a real preflight (OPTIONS with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered here, every other OPTIONS goes to the backend; the request's
 * {@code Origin} is echoed when it is allowed (one origin, as the Fetch standard requires), and responses carry
 * {@code Vary: Origin} so that caches keep answers for different origins apart.
 */
public final class CorsPolicy {
    public static final String ORIGIN = "origin";
    public static final String VARY = "vary";
    public static final String REQUEST_METHOD = "access-control-request-method";
    public static final String REQUEST_HEADERS = "access-control-request-headers";
    public static final String ALLOW_ORIGIN = "access-control-allow-origin";
    public static final String ALLOW_METHODS = "access-control-allow-methods";
    public static final String ALLOW_HEADERS = "access-control-allow-headers";
    public static final String ALLOW_CREDENTIALS = "access-control-allow-credentials";
    public static final String EXPOSE_HEADERS = "access-control-expose-headers";
    public static final String MAX_AGE = "access-control-max-age";

    private final boolean anyOrigin;
    private final String[] origins;
    private final boolean credentials;
    private final String methods;
    private final String allowHeaders;
    private final String exposeHeaders;
    private final String maxAge;

    private CorsPolicy(CorsConfig config) {
        boolean any = false;
        final List<String> configured = config.allowedOrigins();
        final String[] lower = new String[configured.size()];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = trimSlash(configured.get(i).trim().toLowerCase(Locale.ROOT));
            any |= lower[i].equals("*");
        }
        this.anyOrigin = any;
        this.origins = lower;
        this.credentials = config.allowCredentials();
        this.methods = String.join(", ", config.allowedMethods());
        this.allowHeaders = config.allowedHeaders().isEmpty() ? null : String.join(", ", config.allowedHeaders());
        this.exposeHeaders = config.exposedHeaders().isEmpty() ? null : String.join(", ", config.exposedHeaders());
        this.maxAge = config.maxAgeSeconds() > 0 ? Integer.toString(config.maxAgeSeconds()) : null;
    }

    /** The policy of a config, or null when it allows no origin. */
    public static CorsPolicy of(CorsConfig config) {
        return config.isOff() ? null : new CorsPolicy(config);
    }

    private static String trimSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    /** Whether a request's {@code Origin} may read responses. Allocation-free. */
    public boolean allows(CharSequence origin) {
        if (origin == null || origin.length() == 0) {
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        final int n = origin.length();
        for (String allowed : origins) {
            if (allowed.length() == n && regionEqualsIgnoreCase(allowed, origin, n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEqualsIgnoreCase(String lower, CharSequence s, int n) {
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (lower.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code Access-Control-Allow-Origin} value for an allowed origin: {@code *} when any origin is allowed and
     * no credentials are involved, else the origin itself.
     */
    public CharSequence allowOrigin(CharSequence origin) {
        return anyOrigin && !credentials ? "*" : origin;
    }

    /** Whether the value sent depends on the Origin (so responses need {@code Vary: Origin}). */
    public boolean variesByOrigin() {
        return !anyOrigin || credentials;
    }

    public boolean allowCredentials() {
        return credentials;
    }

    public String allowMethods() {
        return methods;
    }

    /** The configured allowed headers, or null: the preflight then echoes the requested ones. */
    public String allowHeaders() {
        return allowHeaders;
    }

    public String exposeHeaders() {
        return exposeHeaders;
    }

    /** Max-Age in seconds as text, or null. */
    public String maxAge() {
        return maxAge;
    }
}
