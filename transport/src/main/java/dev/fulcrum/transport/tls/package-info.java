/**
 * TLS termination: per-port certificate selection by SNI, the OpenSSL (BoringSSL) engine with the JDK engine as
 * fallback, and certificate files reloaded when they change. Also TLS towards {@code https://} backends
 * ({@link dev.fulcrum.transport.tls.UpstreamTls}): verification, SNI and one client context per trust setting.
 *
 * <p>Threading: the certificate tables are immutable snapshots published with one volatile write by the reload
 * task (a {@code GlobalEventExecutor} thread); event loops only read them during handshakes.
 */
package dev.fulcrum.transport.tls;
