package dev.fulcrum.core.config;

import java.util.Objects;

/**
 * What a service does besides routing to its locations: HTTP-to-HTTPS redirect, header rules, middleware.
 *
 * <p>Immutable.
 *
 * @param httpsRedirectPort when positive, the service answers every request with a redirect to HTTPS on this port
 *                          (terraster's {@code http_redirect} with {@code redirect_port}, default 443); 0 otherwise
 * @param headers           custom header rules
 * @param middleware        security headers and CORS, global defaults merged with the service's overrides
 * @param tls               TLS termination, or null for a plain HTTP service
 */
public record ServiceOptions(int httpsRedirectPort, HeadersConfig headers, MiddlewareConfig middleware,
                             TlsConfig tls) {

    /** terraster's default {@code redirect_port}. */
    public static final int DEFAULT_REDIRECT_PORT = 443;

    public static final ServiceOptions NONE = new ServiceOptions(0, HeadersConfig.NONE, MiddlewareConfig.NONE, null);

    /** Without TLS. */
    public ServiceOptions(int httpsRedirectPort, HeadersConfig headers, MiddlewareConfig middleware) {
        this(httpsRedirectPort, headers, middleware, null);
    }

    public ServiceOptions {
        if (httpsRedirectPort < 0 || httpsRedirectPort > 65535) {
            throw new IllegalArgumentException("redirect port out of range: " + httpsRedirectPort);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(middleware, "middleware");
    }

    public boolean redirectsToHttps() {
        return httpsRedirectPort > 0;
    }
}
