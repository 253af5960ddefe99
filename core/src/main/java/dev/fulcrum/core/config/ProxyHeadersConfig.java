package dev.fulcrum.core.config;

/**
 * Which forwarding headers the proxy adds to requests and which identifying headers it strips from responses.
 *
 * <p>Immutable.
 *
 * @param xForwardedFor   append the client IP to {@code X-Forwarded-For} (terraster put the Host header there)
 * @param xForwardedHost  set {@code X-Forwarded-Host} to the client's Host header (terraster sent the client ip:port)
 * @param xForwardedProto set {@code X-Forwarded-Proto} to http or https (terraster sent none)
 * @param xRealIp         set {@code X-Real-IP} to the client IP, without port
 * @param proxyByLabel    value of the {@code X-Proxy-By} response header, or null to send none
 * @param stripServer     remove the backend's {@code Server} response header
 * @param stripPoweredBy  remove the backend's {@code X-Powered-By} response header
 */
public record ProxyHeadersConfig(boolean xForwardedFor, boolean xForwardedHost, boolean xForwardedProto,
                                 boolean xRealIp, String proxyByLabel, boolean stripServer, boolean stripPoweredBy) {

    /** terraster always sent {@code X-Proxy-By: terraster}; Fulcrum keeps the header with its own name. */
    public static final String DEFAULT_PROXY_BY_LABEL = "fulcrum";

    public static final ProxyHeadersConfig DEFAULTS =
            new ProxyHeadersConfig(true, true, true, true, DEFAULT_PROXY_BY_LABEL, true, true);

    public ProxyHeadersConfig {
        if (proxyByLabel != null && proxyByLabel.isEmpty()) {
            proxyByLabel = null;
        }
    }
}
