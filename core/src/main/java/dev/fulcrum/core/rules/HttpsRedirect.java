package dev.fulcrum.core.rules;

/**
 * An {@code http_redirect} service: every request is answered 301 to the same target on HTTPS.
 *
 * <p>Immutable. The host is the service's configured name when it has an exact one, else the host name the client
 * sent (port removed). The port is {@code redirect_port} and is left out when it is 443 (terraster always wrote
 * {@code :443}). Path and query are copied as received, with no decoding (terraster decoded {@code %2F}).
 */
public final class HttpsRedirect {
    /** terraster's status for HTTPS redirects. */
    public static final int STATUS = 301;

    /** "https://host[:port]" when the service has an exact host; null when the Host header decides. */
    private final String fixedPrefix;
    private final String portSuffix;

    private HttpsRedirect(String fixedPrefix, String portSuffix) {
        this.fixedPrefix = fixedPrefix;
        this.portSuffix = portSuffix;
    }

    /**
     * @param serviceHost the service's host (lower case), a {@code *.} wildcard, or null for a default service
     * @param port        the HTTPS port to send clients to
     */
    public static HttpsRedirect of(String serviceHost, int port) {
        final String suffix = port == 443 ? "" : ":" + port;
        if (serviceHost == null || serviceHost.startsWith("*.")) {
            return new HttpsRedirect(null, suffix);
        }
        final String host = serviceHost.indexOf(':') >= 0 ? '[' + serviceHost + ']' : serviceHost;
        return new HttpsRedirect("https://" + host + suffix, suffix);
    }

    /**
     * The {@code Location} for one request, or null when no host is known (no configured name and no Host header):
     * the transport then answers 400.
     *
     * @param hostHeader the Host header as received, or null
     * @param requestUri the request target as received
     */
    public String location(CharSequence hostHeader, String requestUri) {
        if (fixedPrefix != null) {
            return fixedPrefix.concat(requestUri);
        }
        if (hostHeader == null) {
            return null;
        }
        int end = hostHeader.length();
        if (end > 0 && hostHeader.charAt(0) == '[') {
            int close = -1;
            for (int i = 1; i < end; i++) {
                if (hostHeader.charAt(i) == ']') {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                return null;
            }
            end = close + 1;
        } else {
            for (int i = 0; i < end; i++) {
                if (hostHeader.charAt(i) == ':') {
                    end = i;
                    break;
                }
            }
        }
        if (end == 0) {
            return null;
        }
        return new StringBuilder(8 + end + portSuffix.length() + requestUri.length())
                .append("https://").append(hostHeader, 0, end).append(portSuffix).append(requestUri).toString();
    }
}
