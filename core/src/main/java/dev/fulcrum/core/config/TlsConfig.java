package dev.fulcrum.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS termination for one service (terraster's {@code tls} block with {@code enabled: true}).
 *
 * <p>Immutable. The files are PEM: a certificate chain (leaf first) and its private key (PKCS#8, or PKCS#1 RSA
 * where the OpenSSL engine loads it). They are read when the server starts and again whenever they change on disk.
 *
 * @param certFile the certificate chain
 * @param keyFile  the private key
 */
public record TlsConfig(Path certFile, Path keyFile) {
    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
