package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.config.ServiceOptions;

/**
 * The rules of one service, shared by its locations: HTTPS redirect, header rules, security headers, CORS.
 *
 * <p>Immutable; built once per service when the routing table is built.
 */
public final class ServiceRules {
    public static final ServiceRules NONE =
            new ServiceRules(null, HeaderRules.NONE, HeaderRules.NONE, null, null, null);

    private final HttpsRedirect httpsRedirect;
    private final HeaderRules requestHeaders;
    private final HeaderRules responseHeaders;
    private final SecurityHeaders security;
    private final CorsPolicy cors;
    private final CompressionPolicy compression;
    private final boolean touchesResponses;

    private ServiceRules(HttpsRedirect httpsRedirect, HeaderRules requestHeaders, HeaderRules responseHeaders,
                         SecurityHeaders security, CorsPolicy cors, CompressionPolicy compression) {
        this.httpsRedirect = httpsRedirect;
        this.requestHeaders = requestHeaders;
        this.responseHeaders = responseHeaders;
        this.security = security;
        this.cors = cors;
        this.compression = compression;
        this.touchesResponses = !responseHeaders.isEmpty() || security != null || cors != null;
    }

    /**
     * @throws IllegalArgumentException for a header value with an unknown placeholder (ConfigLoader reports it with
     *                                  its line first)
     */
    public static ServiceRules of(ServiceConfig service) {
        final ServiceOptions options = service.options();
        if (options == ServiceOptions.NONE) {
            return NONE;
        }
        return new ServiceRules(
                options.redirectsToHttps() ? HttpsRedirect.of(service.host(), options.httpsRedirectPort()) : null,
                HeaderRules.request(options.headers()),
                HeaderRules.response(options.headers()),
                SecurityHeaders.of(options.middleware().security()),
                CorsPolicy.of(options.middleware().cors()),
                CompressionPolicy.of(options.middleware().compression()));
    }

    /** Non-null for an {@code http_redirect} service: every request gets this redirect. */
    public HttpsRedirect httpsRedirect() {
        return httpsRedirect;
    }

    public HeaderRules requestHeaders() {
        return requestHeaders;
    }

    public HeaderRules responseHeaders() {
        return responseHeaders;
    }

    /** The security headers, or null. */
    public SecurityHeaders security() {
        return security;
    }

    /** The CORS policy, or null. */
    public CorsPolicy cors() {
        return cors;
    }

    /** The compression policy, or null when the service does not compress. */
    public CompressionPolicy compression() {
        return compression;
    }

    /** False when responses pass through untouched by this service's rules (the common case: one branch). */
    public boolean touchesResponses() {
        return touchesResponses;
    }
}
