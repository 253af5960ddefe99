package dev.fulcrum.transport.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Checks of a decoded request head that the codec does not make: the request target must be origin-form (or
 * {@code *} for OPTIONS), the method a token, the version HTTP/1.x, and Host present at most once with a valid
 * authority. A reverse proxy that accepted absolute-form or a second Host would route on one authority while the
 * origin reads another (RFC 9112 sections 3.2 and 3.2.2).
 *
 * <p>Stateless. {@link #violation} allocates nothing on the accepting path.
 */
final class RequestChecks {
    /** Bytes allowed in an origin-form target: visible ASCII, minus '#' (a fragment is never sent). */
    private static final boolean[] TARGET = new boolean[128];
    /** RFC 9110 tchar. */
    private static final boolean[] TOKEN = new boolean[128];
    /** reg-name / IP-literal / port characters of a Host value (RFC 3986 section 3.2.2). */
    private static final boolean[] HOST = new boolean[128];

    static {
        for (int c = 0x21; c < 0x7f; c++) {
            TARGET[c] = c != '#';
        }
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
            HOST[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = TOKEN[c - 32] = true;
            HOST[c] = HOST[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    private RequestChecks() {
    }

    /** Why the request must be answered 400, or null when it may be routed. */
    static String violation(HttpRequest request) {
        final HttpVersion version = request.protocolVersion();
        if (!"HTTP".equals(version.protocolName()) || version.majorVersion() != 1) {
            return "unsupported protocol version";
        }
        final String method = request.method().name();
        if (method.isEmpty() || !all(method, TOKEN)) {
            return "invalid method";
        }
        final String target = request.uri();
        if (target.isEmpty()) {
            return "empty request target";
        }
        if (target.charAt(0) != '/') {
            if (target.equals("*") && HttpMethod.OPTIONS.equals(request.method())) {
                return null;
            }
            return target.indexOf("://") > 0 ? "absolute-form request target" : "invalid request target";
        }
        if (!all(target, TARGET)) {
            return "invalid character in the request target";
        }
        // A second Host line is rejected by RequestFramingGuard before decoding.
        final String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && (!all(host, HOST) || host.indexOf('@') >= 0)) {
            return "invalid Host header";
        }
        return null;
    }

    private static boolean all(String s, boolean[] allowed) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }
}
