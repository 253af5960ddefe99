package dev.fulcrum.transport.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;

/**
 * Responses Fulcrum answers itself (the seed's ProxyError): a status and a short JSON body
 * {@code {"status":503,"error":"no live backend","request_id":"..."}}. Never a stack trace.
 *
 * <p>Stateless.
 */
public final class GeneratedResponse {
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

    private GeneratedResponse() {
    }

    /**
     * @param headRequest true to send headers only (the body length is still announced)
     * @param close       true to announce {@code Connection: close}
     * @param proxyBy     the X-Proxy-By label, or null
     */
    public static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String reason,
                                         String requestId, boolean headRequest, boolean close, AsciiString proxyBy) {
        final String json = "{\"status\":" + status.code() + ",\"error\":\"" + escape(reason)
                + "\",\"request_id\":\"" + escape(requestId) + "\"}\n";
        final byte[] bytes = json.getBytes(CharsetUtil.UTF_8);
        final ByteBuf body = headRequest ? Unpooled.EMPTY_BUFFER : alloc.buffer(bytes.length).writeBytes(bytes);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (proxyBy != null) {
            response.headers().set(ProxyHeaders.X_PROXY_BY, proxyBy);
        }
        return response;
    }

    /** A redirect with an empty body. */
    public static FullHttpResponse redirect(HttpResponseStatus status, String location, boolean close,
                                            AsciiString proxyBy) {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (proxyBy != null) {
            response.headers().set(ProxyHeaders.X_PROXY_BY, proxyBy);
        }
        return response;
    }

    private static String escape(String s) {
        final StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
