package dev.fulcrum.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS termination for one service (terraster's {@code tls} block with {@code enabled: true}).
 *
 * <p>Immutable. The files are PEM: a certificate chain (leaf first) and its private key (PKCS#8, or PKCS#1 RSA
 * where the OpenSSL engine loads it). They are read when the server starts and again whenever they change on disk.
 *
 * @param certFile the certificate chain
 * @param keyFile  the private key
 * @param alpn     application protocols offered in ALPN, most preferred first: {@code h2} and/or {@code http/1.1}
 */
public record TlsConfig(Path certFile, Path keyFile, List<String> alpn) {
    public static final String H2 = "h2";
    public static final String HTTP_1_1 = "http/1.1";
    /** HTTP/2 first: clients that speak it multiplex on one connection. */
    public static final List<String> DEFAULT_ALPN = List.of(H2, HTTP_1_1);

    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        alpn = List.copyOf(alpn);
        if (alpn.isEmpty() || !DEFAULT_ALPN.containsAll(alpn)) {
            throw new IllegalArgumentException("ALPN must be a non-empty list of h2 and http/1.1: " + alpn);
        }
    }

    /** Both protocols offered, h2 first. */
    public TlsConfig(Path certFile, Path keyFile) {
        this(certFile, keyFile, DEFAULT_ALPN);
    }
}
