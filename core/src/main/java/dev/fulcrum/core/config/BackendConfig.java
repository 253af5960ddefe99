package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.snapshot.BackendAddress;

import java.util.Locale;
import java.util.Objects;

/**
 * One backend of a location: where it listens, its weight and its in-flight cap.
 *
 * <p>Immutable. The path of the backend URL is kept in {@link BackendAddress#path()} but ignored when proxying
 * (as in terraster, which never prepended it); see {@code UrlRewriter}.
 *
 * @param address        scheme, host and port, parsed from the configured URL
 * @param weight         relative weight; 0 drains the backend (listed, no new requests)
 * @param maxConnections cap on concurrent in-flight requests to this backend (terraster's max_connections)
 * @param tls            how to speak TLS to an https backend ({@link BackendTlsConfig#DEFAULT} unless configured)
 * @param protocol       HTTP/1.1, HTTP/2 (h2 over TLS, h2c in cleartext) or the backend's ALPN choice (auto)
 */
public record BackendConfig(BackendAddress address, int weight, int maxConnections, BackendTlsConfig tls,
                            BackendProtocol protocol) {

    /** terraster's unset weight was 0; Fulcrum reads an absent weight as an equal share. */
    public static final int DEFAULT_WEIGHT = 1;
    /** terraster's pool default: 1000 concurrent requests per backend. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;

    public BackendConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(protocol, "protocol");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
    }

    /** A backend with the default TLS settings (verify against the system trust store, SNI from the URL). */
    public BackendConfig(BackendAddress address, int weight, int maxConnections) {
        this(address, weight, maxConnections, BackendTlsConfig.DEFAULT);
    }

    /** A backend speaking the default protocol for its scheme ({@link BackendProtocol#defaultFor}). */
    public BackendConfig(BackendAddress address, int weight, int maxConnections, BackendTlsConfig tls) {
        this(address, weight, maxConnections, tls, BackendProtocol.defaultFor(address));
    }

    /**
     * A backend with default weight and cap.
     *
     * @throws IllegalArgumentException when the URL is not an http or https URL with a host
     */
    public static BackendConfig of(String url) {
        return new BackendConfig(BackendAddress.parse(url), DEFAULT_WEIGHT, DEFAULT_MAX_CONNECTIONS);
    }

    /** The URL as configured. */
    public String url() {
        return address.url();
    }

    /**
     * What makes two backends the same: scheme, lower-cased host and port. The URL path does not count, since it is
     * never used when proxying.
     */
    public String key() {
        return keyOf(address);
    }

    /** {@link #key()} for an address. */
    public static String keyOf(BackendAddress address) {
        return (address.secure() ? "https://" : "http://") + address.authority().toLowerCase(Locale.ROOT);
    }
}
