package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.config.ProxyHeadersConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * RFC 9110 proxy duties on headers: hop-by-hop removal and the forwarding headers (the seed's header constants).
 *
 * <p>Immutable and thread-safe; works on the message it is given, in place, so the decoded request object is the one
 * forwarded upstream (no copy of the header map).
 */
public final class ProxyHeaders {
    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    public static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    public static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    public static final AsciiString X_PROXY_BY = AsciiString.cached("x-proxy-by");
    public static final AsciiString X_POWERED_BY = AsciiString.cached("x-powered-by");
    public static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    /** Not in RFC 9110's list, but sent by old clients and never meant for the next hop. */
    public static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    /** Named here because Netty deprecates its constant; RFC 9110 still lists the header as hop-by-hop. */
    public static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");

    private final ProxyHeadersConfig config;
    private final AsciiString proxyByLabel;

    public ProxyHeaders(ProxyHeadersConfig config) {
        this.config = config;
        this.proxyByLabel = config.proxyByLabel() == null || config.proxyByLabel().isEmpty()
                ? null : AsciiString.cached(config.proxyByLabel());
    }

    /**
     * Prepares a client request for the backend: removes hop-by-hop headers, adds the forwarding headers and
     * speaks HTTP/1.1 keep-alive upstream whatever the client spoke.
     *
     * @param clientIp the client's socket address as text, computed once per connection
     */
    public void prepareRequest(HttpRequest request, String clientIp) {
        prepareRequest(request, clientIp, false);
    }

    /** @param secure whether the client connection is TLS (X-Forwarded-Proto https) */
    public void prepareRequest(HttpRequest request, String clientIp, boolean secure) {
        final HttpHeaders headers = request.headers();
        final boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        removeHopByHop(headers);
        if (chunked) {
            // Framing is ours to redo: the body is re-chunked by the encoder.
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        // We answer 100-continue ourselves; the backend gets the body without waiting.
        headers.remove(HttpHeaderNames.EXPECT);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (config.xForwardedFor()) {
            final String previous = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, previous == null || previous.isEmpty() ? clientIp : previous + ", " + clientIp);
        }
        if (config.xForwardedHost()) {
            final String host = headers.get(HttpHeaderNames.HOST);
            if (host != null) {
                headers.set(X_FORWARDED_HOST, host);
            }
        }
        if (config.xForwardedProto()) {
            headers.set(X_FORWARDED_PROTO, secure ? HTTPS : HTTP);
        }
        if (config.xRealIp()) {
            headers.set(X_REAL_IP, clientIp);
        }
    }

    /**
     * Prepares a backend response for the client.
     *
     * @param clientKeepAlive whether the client connection stays open after this response
     * @param clientHttp10    whether the client spoke HTTP/1.0 (no chunked framing towards it)
     * @param mayHaveBody     false for HEAD requests and 1xx/204/304 responses
     * @return true if the client connection must close after this response (close-delimited body)
     */
    public boolean prepareResponse(HttpResponse response, boolean clientKeepAlive, boolean clientHttp10,
                                   boolean mayHaveBody) {
        final HttpHeaders headers = response.headers();
        final boolean hasLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        removeHopByHop(headers);
        boolean closeAfter = !clientKeepAlive;
        if (mayHaveBody && !hasLength) {
            if (clientHttp10) {
                // HTTP/1.0 has no chunked framing: the end of the body is the end of the connection.
                closeAfter = true;
            } else {
                // Chunked or close-delimited upstream: chunked towards the client keeps its connection reusable.
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (config.stripServer()) {
            headers.remove(HttpHeaderNames.SERVER);
        }
        if (config.stripPoweredBy()) {
            headers.remove(X_POWERED_BY);
        }
        if (proxyByLabel != null) {
            headers.set(X_PROXY_BY, proxyByLabel);
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        return closeAfter;
    }

    /** The proxy label for responses Fulcrum generates, or null. */
    AsciiString proxyByLabel() {
        return proxyByLabel;
    }

    /** Removes Connection and every header it names, and the fixed hop-by-hop set. */
    static void removeHopByHop(HttpHeaders headers) {
        // Most requests carry no Connection header: test first so the common case builds no value list.
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            final List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
            for (String value : connection) {
                int start = 0;
                final int len = value.length();
                while (start < len) {
                    int comma = value.indexOf(',', start);
                    if (comma < 0) {
                        comma = len;
                    }
                    final String token = value.substring(start, comma).trim();
                    if (!token.isEmpty()) {
                        headers.remove(token);
                    }
                    start = comma + 1;
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
}
