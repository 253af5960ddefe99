package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.SecurityConfig;

/**
 * The {@code security} middleware's header values, joined once.
 *
 * <p>Immutable. The transport sets (replaces) each header on responses, so a backend's own value never doubles up
 * (terraster added its values before proxying and the backend's copies were appended). HSTS goes only on responses
 * to HTTPS requests.
 */
public final class SecurityHeaders {
    public static final String STRICT_TRANSPORT_SECURITY = "strict-transport-security";
    public static final String X_FRAME_OPTIONS = "x-frame-options";
    public static final String X_CONTENT_TYPE_OPTIONS = "x-content-type-options";
    public static final String X_XSS_PROTECTION = "x-xss-protection";
    public static final String NOSNIFF = "nosniff";
    public static final String XSS_BLOCK = "1; mode=block";

    private final String hsts;
    private final String frameOptions;
    private final boolean noSniff;
    private final boolean xssProtection;

    private SecurityHeaders(String hsts, String frameOptions, boolean noSniff, boolean xssProtection) {
        this.hsts = hsts;
        this.frameOptions = frameOptions;
        this.noSniff = noSniff;
        this.xssProtection = xssProtection;
    }

    /** The headers of a config, or null when it enables none. */
    public static SecurityHeaders of(SecurityConfig config) {
        if (config.isOff()) {
            return null;
        }
        String hsts = null;
        if (config.hsts()) {
            hsts = "max-age=" + config.hstsMaxAgeSeconds() + (config.hstsIncludeSubdomains() ? "; includeSubDomains" : "")
                    + (config.hstsPreload() ? "; preload" : "");
        }
        return new SecurityHeaders(hsts, config.frameOptions(), config.contentTypeOptions(), config.xssProtection());
    }

    /** The Strict-Transport-Security value, or null when HSTS is off. */
    public String hsts() {
        return hsts;
    }

    /** The X-Frame-Options value, or null. */
    public String frameOptions() {
        return frameOptions;
    }

    public boolean noSniff() {
        return noSniff;
    }

    public boolean xssProtection() {
        return xssProtection;
    }
}
