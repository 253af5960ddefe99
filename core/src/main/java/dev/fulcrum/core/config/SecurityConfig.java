package dev.fulcrum.core.config;

/**
 * The {@code security} middleware: response headers that harden browsers.
 *
 * <p>Immutable. A service block overrides the global block field by field (a field the service does not write keeps
 * the global value).
 *
 * @param hsts                  send {@code Strict-Transport-Security}; only ever on responses to HTTPS requests
 *                              (RFC 6797 section 7.2: a UA ignores it over plain HTTP, terraster sent it anyway)
 * @param hstsMaxAgeSeconds     its {@code max-age}
 * @param hstsIncludeSubdomains add {@code includeSubDomains}
 * @param hstsPreload           add {@code preload}
 * @param frameOptions          {@code X-Frame-Options} value, or null for none
 * @param contentTypeOptions    send {@code X-Content-Type-Options: nosniff}
 * @param xssProtection         send {@code X-XSS-Protection: 1; mode=block}
 */
public record SecurityConfig(boolean hsts, long hstsMaxAgeSeconds, boolean hstsIncludeSubdomains,
                             boolean hstsPreload, String frameOptions, boolean contentTypeOptions,
                             boolean xssProtection) {

    /**
     * One year, the value the HSTS preload list requires; terraster defaulted to 0, which switches HSTS off in
     * browsers while looking enabled in the config.
     */
    public static final long DEFAULT_HSTS_MAX_AGE_SECONDS = 31_536_000L;

    /** Nothing enabled: the starting point a global block's fields override. */
    public static final SecurityConfig OFF =
            new SecurityConfig(false, DEFAULT_HSTS_MAX_AGE_SECONDS, false, false, null, false, false);

    public SecurityConfig {
        if (frameOptions != null && frameOptions.isEmpty()) {
            frameOptions = null;
        }
    }

    public boolean isOff() {
        return !hsts && frameOptions == null && !contentTypeOptions && !xssProtection;
    }
}
