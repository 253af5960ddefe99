package dev.fulcrum.transport.upstream;

import javax.net.ssl.SSLException;

/**
 * The short reasons of 502 answers for upstream connections that never carried the request.
 *
 * <p>Stateless.
 */
public final class UpstreamFailures {
    /** TCP connect refused, unreachable or timed out. */
    public static final String CONNECT_FAILED = "upstream connect failed";
    /** TCP connected, but the backend's certificate was not accepted or the TLS handshake broke off. */
    public static final String TLS_FAILED = "upstream TLS handshake failed";

    private UpstreamFailures() {
    }

    /** The reason for {@code cause}: a TLS failure anywhere in its cause chain says so, anything else is a connect failure. */
    public static String connectReason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return TLS_FAILED;
            }
        }
        return CONNECT_FAILED;
    }
}
