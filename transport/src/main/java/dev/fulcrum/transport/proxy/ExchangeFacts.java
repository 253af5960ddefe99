package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.rules.HeaderTemplate;
import dev.fulcrum.core.rules.RequestFacts;

/**
 * The values header templates read, for the exchange in progress on one client connection.
 *
 * <p>Confined to the connection's event loop; one instance per connection, refilled by {@link #begin} for each
 * exchange (no allocation: it only keeps references to strings the decoder already made).
 */
final class ExchangeFacts implements RequestFacts {
    private final String remoteAddr;
    private String host;
    private String uri;
    private String method;

    /** @param remoteAddr the client's {@code ip:port}, made once per connection */
    ExchangeFacts(String remoteAddr) {
        this.remoteAddr = remoteAddr;
    }

    /** Captures the request as the client sent it, before rewrite. */
    void begin(String host, String uri, String method) {
        this.host = host;
        this.uri = uri;
        this.method = method;
    }

    void clear() {
        host = null;
        uri = null;
        method = null;
    }

    String host() {
        return host;
    }

    /** The request target as received, before any rewrite. */
    String uri() {
        return uri;
    }

    @Override
    public CharSequence fact(int kind) {
        switch (kind) {
            case HeaderTemplate.REMOTE_ADDR:
                return remoteAddr;
            case HeaderTemplate.HOST:
                return host;
            case HeaderTemplate.URI:
                return uri;
            case HeaderTemplate.METHOD:
                return method;
            default:
                return null;
        }
    }
}
