package dev.fulcrum.core.config;

/**
 * Size limits on client requests; a request over a limit is answered with 431, 414 or 413 and never proxied.
 *
 * <p>Immutable.
 *
 * @param maxHeaderBytes total size of the request head (request line excluded) in bytes
 * @param maxUriBytes    length of the request target in bytes
 * @param maxBodyBytes   request body size in bytes; {@link Long#MAX_VALUE} means unlimited
 * @param maxHeaderCount number of request header fields
 * @param maxClientConnections open client connections per listener; more are answered 503 and closed
 */
public record LimitsConfig(int maxHeaderBytes, int maxUriBytes, long maxBodyBytes, int maxHeaderCount,
                           int maxClientConnections) {

    /** Twice Netty's 8 KiB default: leaves room for large cookies and JWTs, still bounds memory per connection. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16_384;
    /** RFC 9112 section 3 recommends supporting request lines of at least 8000 octets. */
    public static final int DEFAULT_MAX_URI_BYTES = 8_192;
    /** Unlimited: bodies are streamed, never buffered, so their size costs no memory in the proxy. */
    public static final long DEFAULT_MAX_BODY_BYTES = Long.MAX_VALUE;
    /** HAProxy's long-standing default (tune.http.maxhdr 101); real browsers send about 20. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    /**
     * Each connection costs a file descriptor and a few KiB; 16384 per listener stays below common
     * {@code ulimit -n} settings for a two-listener proxy while far above what one core serves well.
     */
    public static final int DEFAULT_MAX_CLIENT_CONNECTIONS = 16_384;

    public static final LimitsConfig DEFAULTS = new LimitsConfig(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_URI_BYTES,
            DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_CLIENT_CONNECTIONS);

    public LimitsConfig {
        if (maxHeaderBytes < 1 || maxUriBytes < 1 || maxBodyBytes < 1 || maxHeaderCount < 1
                || maxClientConnections < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxHeaderBytes + ", " + maxUriBytes
                    + ", " + maxBodyBytes + ", " + maxHeaderCount + ", " + maxClientConnections);
        }
    }

    /** Limits with the default connection cap. */
    public LimitsConfig(int maxHeaderBytes, int maxUriBytes, long maxBodyBytes, int maxHeaderCount) {
        this(maxHeaderBytes, maxUriBytes, maxBodyBytes, maxHeaderCount, DEFAULT_MAX_CLIENT_CONNECTIONS);
    }

    /** True when request bodies are not limited. */
    public boolean isBodyUnlimited() {
        return maxBodyBytes == Long.MAX_VALUE;
    }
}
