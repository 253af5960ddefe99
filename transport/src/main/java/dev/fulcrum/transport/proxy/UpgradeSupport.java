package dev.fulcrum.transport.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * HTTP/1.1 Upgrade (RFC 9110 section 7.8) through the proxy: WebSocket and any other protocol a client and backend
 * agree on. Upgrade and Connection are hop-by-hop, so the proxy removes them like any other and then puts back the
 * pair that asks the next hop for the same upgrade.
 *
 * <p>Stateless.
 */
final class UpgradeSupport {
    private UpgradeSupport() {
    }

    /**
     * The protocols the client asks to upgrade to, or null: an HTTP/1.1 request with an {@code Upgrade} header that
     * its {@code Connection} header names (without that the Upgrade header is not meant for us).
     */
    static String requestedUpgrade(HttpRequest request, boolean http10) {
        if (http10) {
            return null;
        }
        final HttpHeaders headers = request.headers();
        final String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || upgrade.isEmpty() || upgrade.regionMatches(true, 0, "h2c", 0, 3)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            // h2c is an upgrade of this hop only (its HTTP2-Settings header is hop-by-hop): never passed on.
            return null;
        }
        return upgrade;
    }

    /** Asks the backend for the same upgrade, after the hop-by-hop headers were removed. */
    static void forwardUpgrade(HttpHeaders headers, String upgrade) {
        headers.set(HttpHeaderNames.UPGRADE, upgrade);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }

    /**
     * The 101 to send the client: the backend's end-to-end headers (Sec-WebSocket-Accept, -Protocol, -Extensions),
     * its Upgrade, and {@code Connection: upgrade}. A full response with no body, so the codec writes the head only.
     */
    static FullHttpResponse switchingProtocols(HttpResponse backend, AsciiString proxyBy) {
        final String upgrade = backend.headers().get(HttpHeaderNames.UPGRADE);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        final HttpHeaders headers = response.headers();
        headers.set(backend.headers());
        ProxyHeaders.removeHopByHop(headers);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (upgrade != null) {
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (proxyBy != null) {
            headers.set(ProxyHeaders.X_PROXY_BY, proxyBy);
        }
        return response;
    }
}
