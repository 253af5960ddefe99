package dev.fulcrum.core.config;

import java.nio.file.Path;

/**
 * How Fulcrum speaks TLS to one {@code https://} backend (terraster's backend {@code skip_tls_verify} and
 * {@code sni}, plus Fulcrum's {@code ca_file}).
 *
 * <p>Immutable. Ignored for plain {@code http://} backends.
 *
 * @param skipVerify no certificate or host name verification at all (terraster's {@code skip_tls_verify})
 * @param sni        the server name sent in SNI and verified against the certificate; null means the backend's host
 *                   (no SNI is sent for an IP literal, as RFC 6066 section 3 requires)
 * @param caFile     PEM file of the certificate authorities to trust instead of the system trust store; null means
 *                   the JDK's default trust store
 */
public record BackendTlsConfig(boolean skipVerify, String sni, Path caFile) {
    /** Verify against the system trust store, SNI and host name from the backend URL. */
    public static final BackendTlsConfig DEFAULT = new BackendTlsConfig(false, null, null);

    /** The name to send in SNI and verify: the configured {@code sni}, else the backend host. */
    public String serverName(String backendHost) {
        return sni != null ? sni : backendHost;
    }
}
