package dev.fulcrum.core.config;

/**
 * Every timeout the proxy applies, in milliseconds; all are positive.
 *
 * <p>Immutable. terraster hard-coded 15 s read and write timeouts for whole exchanges, which killed any request or
 * response taking longer; Fulcrum times each phase separately instead, so a long download that keeps moving is fine.
 *
 * @param connectTimeoutMillis       longest wait for a TCP (and TLS) connection to a backend
 * @param responseTimeoutMillis      longest wait for the response headers once the request has been sent
 * @param clientIdleTimeoutMillis    a keep-alive client connection with no request in progress is closed after this
 * @param requestHeaderTimeoutMillis longest time a client may take to send a complete request head
 * @param upstreamIdleTimeoutMillis  longest silence from a backend while its response body is in progress
 * @param drainTimeoutMillis         on shutdown, how long in-flight exchanges may finish before connections are cut
 * @param tunnelIdleTimeoutMillis    a WebSocket/Upgrade tunnel with no byte either way for this long is closed (both
 *                                   sides); defaults to the client idle timeout
 */
public record TimeoutsConfig(long connectTimeoutMillis, long responseTimeoutMillis, long clientIdleTimeoutMillis,
                             long requestHeaderTimeoutMillis, long upstreamIdleTimeoutMillis,
                             long drainTimeoutMillis, long tunnelIdleTimeoutMillis) {

    /** Covers one lost SYN (1 s initial RTO, RFC 6298) yet leaves time for a retry on another backend. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 2_000;
    /** Slow report-style endpoints answer within this; anything slower should be asynchronous. */
    public static final long DEFAULT_RESPONSE_TIMEOUT_MILLIS = 30_000;
    /** terraster's fixed idle timeout, kept so clients tuned against it see no change. */
    public static final long DEFAULT_CLIENT_IDLE_TIMEOUT_MILLIS = 60_000;
    /** A request head needs one round trip; 10 s stops slowloris clients without hurting slow mobile links. */
    public static final long DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS = 10_000;
    /** Matches the client idle timeout so a stalled backend is noticed no later than a stalled client. */
    public static final long DEFAULT_UPSTREAM_IDLE_TIMEOUT_MILLIS = 60_000;
    /** terraster's shutdown budget; Kubernetes' default grace period (30 s) leaves room for it. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 15_000;

    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(DEFAULT_CONNECT_TIMEOUT_MILLIS,
            DEFAULT_RESPONSE_TIMEOUT_MILLIS, DEFAULT_CLIENT_IDLE_TIMEOUT_MILLIS, DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS,
            DEFAULT_UPSTREAM_IDLE_TIMEOUT_MILLIS, DEFAULT_DRAIN_TIMEOUT_MILLIS);

    /** Every timeout but the tunnel's, which follows {@code clientIdleTimeoutMillis}. */
    public TimeoutsConfig(long connectTimeoutMillis, long responseTimeoutMillis, long clientIdleTimeoutMillis,
                          long requestHeaderTimeoutMillis, long upstreamIdleTimeoutMillis, long drainTimeoutMillis) {
        this(connectTimeoutMillis, responseTimeoutMillis, clientIdleTimeoutMillis, requestHeaderTimeoutMillis,
                upstreamIdleTimeoutMillis, drainTimeoutMillis, clientIdleTimeoutMillis);
    }

    public TimeoutsConfig {
        requirePositive(connectTimeoutMillis, "connectTimeoutMillis");
        requirePositive(responseTimeoutMillis, "responseTimeoutMillis");
        requirePositive(clientIdleTimeoutMillis, "clientIdleTimeoutMillis");
        requirePositive(requestHeaderTimeoutMillis, "requestHeaderTimeoutMillis");
        requirePositive(upstreamIdleTimeoutMillis, "upstreamIdleTimeoutMillis");
        requirePositive(drainTimeoutMillis, "drainTimeoutMillis");
        requirePositive(tunnelIdleTimeoutMillis, "tunnelIdleTimeoutMillis");
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
