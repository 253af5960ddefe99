package dev.fulcrum.core.config;

/**
 * Upstream keep-alive connection pooling (terraster's {@code connection_pool} keys, which it ignored).
 *
 * <p>Immutable. Pools are per backend and per event loop, so a connection never crosses threads.
 *
 * @param maxIdlePerBackend idle connections kept per backend per event loop; 0 disables reuse
 * @param idleTimeoutMillis an idle pooled connection is closed after this
 */
public record ConnectionPoolConfig(int maxIdlePerBackend, long idleTimeoutMillis) {

    /**
     * As many as one HTTP/2 client may have streams open (1024), so a loop serving that many concurrent requests
     * keeps its connections instead of closing those above the cap after each response and reconnecting for the
     * next request (with 256 streams in flight and a cap of 64, one request in four opened a connection). Only
     * connections that were in use at once can be idle, and idle_timeout closes the surplus after a burst.
     */
    public static final int DEFAULT_MAX_IDLE_PER_BACKEND = 1024;
    /**
     * Below nginx's 75 s keepalive_timeout, so the proxy usually closes first and rarely reuses a socket the
     * backend is closing. Backends with shorter keep-alive (Node.js: 5 s) need a lower value.
     */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;

    public static final ConnectionPoolConfig DEFAULTS =
            new ConnectionPoolConfig(DEFAULT_MAX_IDLE_PER_BACKEND, DEFAULT_IDLE_TIMEOUT_MILLIS);

    public ConnectionPoolConfig {
        if (maxIdlePerBackend < 0) {
            throw new IllegalArgumentException("maxIdlePerBackend must not be negative: " + maxIdlePerBackend);
        }
        if (idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
        }
    }
}
