package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.snapshot.BackendAddress;

/**
 * The protocol Fulcrum speaks to a backend (backend key {@code protocol}).
 *
 * <p>Over TLS the backend chooses by ALPN unless told otherwise ({@link #AUTO}, as terraster attempted HTTP/2 with
 * https backends). In cleartext HTTP/2 is an explicit opt-in ({@link #H2C}): the backend must be known to speak it
 * (RFC 9113 section 3.3, prior knowledge), since a proxy cannot fall back mid-request.
 */
public enum BackendProtocol {
    /** HTTP/1.1 keep-alive connections, plain or TLS by URL scheme (the default for {@code http://}). */
    HTTP1("http/1.1"),
    /**
     * For {@code https://} (its default): ALPN offers h2 and http/1.1 and the backend chooses; HTTP/2 connections are
     * multiplexed like {@link #H2}, HTTP/1.1 ones pooled like {@link #HTTP1}.
     */
    AUTO("auto"),
    /** HTTP/2 over TLS, negotiated with ALPN {@code h2}; needs an {@code https://} URL. */
    H2("h2"),
    /** HTTP/2 over cleartext TCP with prior knowledge; needs an {@code http://} URL. */
    H2C("h2c");

    private final String configName;

    BackendProtocol(String configName) {
        this.configName = configName;
    }

    /** The value of the {@code protocol} key. */
    public String configName() {
        return configName;
    }

    /** True for the HTTP/2-only variants: one multiplexed connection per backend and event loop, a stream per request. */
    public boolean multiplexed() {
        return this == H2 || this == H2C;
    }

    /** What a backend speaks when neither {@code protocol} nor {@code http2} is configured. */
    public static BackendProtocol defaultFor(BackendAddress address) {
        return address.secure() ? AUTO : HTTP1;
    }
}
