package dev.fulcrum.transport.accesslog;

/**
 * The facts of one finished exchange that an access log line shows.
 *
 * <p>Mutable and confined to one event loop: each connection handler owns one and refills it per exchange, so
 * logging allocates no record.
 */
public final class AccessRecord {
    public long epochMillis;
    public String requestId;
    public String clientIp;
    public String method;
    /** The request target as the client sent it (before any rewrite). */
    public String uri;
    public String protocol;
    public int status;
    /** Response body bytes relayed to the client. */
    public long responseBytes;
    public long durationNanos;
    public String service;
    public String location;
    /** The backend URL that answered, or null when Fulcrum answered itself. */
    public String backend;
    public String userAgent;
    public String referer;
}
