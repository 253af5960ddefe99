package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.rules.BackendRedirectRewriter;
import dev.fulcrum.core.rules.CorsPolicy;
import dev.fulcrum.core.rules.HeaderRules;
import dev.fulcrum.core.rules.HeaderTemplate;
import dev.fulcrum.core.rules.SecurityHeaders;
import dev.fulcrum.core.rules.ServiceRules;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Applies the core's per-service and per-location rules ({@link ServiceRules}, redirects, backend Location
 * reversal) to Netty's request and response objects: the small hooks {@link ProxyExchangeHandler} calls.
 *
 * <p>Stateless. The rules decide; this class only reads and writes headers. Per exchange it allocates only the
 * strings that carry request data (a rendered placeholder value, a redirect target).
 */
final class ExchangeRules {
    private static final AsciiString ORIGIN = AsciiString.cached(CorsPolicy.ORIGIN);
    private static final AsciiString ORIGIN_TOKEN = AsciiString.cached("Origin");
    private static final AsciiString REQUEST_METHOD = AsciiString.cached(CorsPolicy.REQUEST_METHOD);
    private static final AsciiString REQUEST_HEADERS = AsciiString.cached(CorsPolicy.REQUEST_HEADERS);
    private static final AsciiString ALLOW_ORIGIN = AsciiString.cached(CorsPolicy.ALLOW_ORIGIN);
    private static final AsciiString ALLOW_METHODS = AsciiString.cached(CorsPolicy.ALLOW_METHODS);
    private static final AsciiString ALLOW_HEADERS = AsciiString.cached(CorsPolicy.ALLOW_HEADERS);
    private static final AsciiString ALLOW_CREDENTIALS = AsciiString.cached(CorsPolicy.ALLOW_CREDENTIALS);
    private static final AsciiString EXPOSE_HEADERS = AsciiString.cached(CorsPolicy.EXPOSE_HEADERS);
    private static final AsciiString MAX_AGE = AsciiString.cached(CorsPolicy.MAX_AGE);
    private static final AsciiString TRUE = AsciiString.cached("true");
    private static final AsciiString HSTS = AsciiString.cached(SecurityHeaders.STRICT_TRANSPORT_SECURITY);
    private static final AsciiString FRAME_OPTIONS = AsciiString.cached(SecurityHeaders.X_FRAME_OPTIONS);
    private static final AsciiString CONTENT_TYPE_OPTIONS = AsciiString.cached(SecurityHeaders.X_CONTENT_TYPE_OPTIONS);
    private static final AsciiString XSS_PROTECTION = AsciiString.cached(SecurityHeaders.X_XSS_PROTECTION);
    private static final AsciiString NOSNIFF = AsciiString.cached(SecurityHeaders.NOSNIFF);
    private static final AsciiString XSS_BLOCK = AsciiString.cached(SecurityHeaders.XSS_BLOCK);

    private ExchangeRules() {
    }

    /** True for a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method (Fetch standard). */
    static boolean isPreflight(HttpRequest request) {
        return HttpMethod.OPTIONS.equals(request.method()) && request.headers().contains(ORIGIN)
                && request.headers().contains(REQUEST_METHOD);
    }

    /**
     * The answer to a preflight: 204 with the CORS headers when the origin is allowed, else 403 without them (the
     * browser then refuses the real request, and the backend is never bothered).
     */
    static FullHttpResponse preflight(CorsPolicy cors, HttpRequest request, boolean close, AsciiString proxyBy) {
        final String origin = request.headers().get(ORIGIN);
        final boolean allowed = cors.allows(origin);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                allowed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER);
        final HttpHeaders headers = response.headers();
        if (allowed) {
            headers.set(ALLOW_ORIGIN, cors.allowOrigin(origin));
            headers.set(ALLOW_METHODS, cors.allowMethods());
            final String allowHeaders = cors.allowHeaders();
            if (allowHeaders != null) {
                headers.set(ALLOW_HEADERS, allowHeaders);
            } else {
                final String asked = request.headers().get(REQUEST_HEADERS);
                if (asked != null) {
                    headers.set(ALLOW_HEADERS, asked);
                }
            }
            if (cors.allowCredentials()) {
                headers.set(ALLOW_CREDENTIALS, TRUE);
            }
            if (cors.maxAge() != null) {
                headers.set(MAX_AGE, cors.maxAge());
            }
        } else {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        headers.set(HttpHeaderNames.VARY, ORIGIN_TOKEN);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (proxyBy != null) {
            headers.set(ProxyHeaders.X_PROXY_BY, proxyBy);
        }
        return response;
    }

    /** Custom request headers: removals, then additions with placeholders rendered. */
    static void applyRequest(HeaderRules rules, HttpHeaders headers, ExchangeFacts facts) {
        apply(rules, headers, facts);
    }

    /**
     * Everything a service does to a proxied response: the backend's self-redirect reversed, CORS, security
     * headers, then the custom response headers (last, so they can override any of the above).
     *
     * @param origin the request's Origin header, or null
     */
    static void applyResponse(Location location, HttpResponse response, BackendAddress backend, boolean secure,
                              ExchangeFacts facts, String origin) {
        final HttpHeaders headers = response.headers();
        if (BackendRedirectRewriter.isRedirect(response.status().code())) {
            final String target = headers.get(HttpHeaderNames.LOCATION);
            if (target != null && backend != null) {
                final String rewritten = location.backendRedirects().rewrite(target, backend, secure, facts.host());
                if (rewritten != null) {
                    headers.set(HttpHeaderNames.LOCATION, rewritten);
                }
            }
        }
        final ServiceRules rules = location.rules();
        if (rules.touchesResponses()) {
            applyServiceHeaders(rules, headers, secure, facts, origin);
        }
    }

    /**
     * The same service rules on a response Fulcrum generates itself (error, redirect, 429, preflight answer), as
     * Envoy does for its local replies and nginx with {@code add_header ... always}: a browser needs HSTS and
     * X-Frame-Options on an error page or a redirect as much as on a backend's page. The framing headers the
     * response already carries stay as they are: rules can neither set nor remove them ({@link HeaderRules}).
     *
     * @param rules  the rules of the service the request named (its location, or the service whose locations all
     *               missed)
     * @param origin the request's Origin header when CORS applies, or null
     */
    static void applyGenerated(ServiceRules rules, HttpResponse response, boolean secure, ExchangeFacts facts,
                               String origin) {
        if (rules.touchesResponses()) {
            applyServiceHeaders(rules, response.headers(), secure, facts, origin);
        }
    }

    /** CORS, security headers, then the custom response headers (last, so they can override any of the above). */
    private static void applyServiceHeaders(ServiceRules rules, HttpHeaders headers, boolean secure,
                                            ExchangeFacts facts, String origin) {
        final CorsPolicy cors = rules.cors();
        if (cors != null) {
            if (origin != null && cors.allows(origin)) {
                headers.set(ALLOW_ORIGIN, cors.allowOrigin(origin));
                if (cors.allowCredentials()) {
                    headers.set(ALLOW_CREDENTIALS, TRUE);
                }
                if (cors.exposeHeaders() != null) {
                    headers.set(EXPOSE_HEADERS, cors.exposeHeaders());
                }
            }
            if (cors.variesByOrigin()) {
                addVary(headers, ORIGIN_TOKEN);
            }
        }
        final SecurityHeaders security = rules.security();
        if (security != null) {
            if (secure && security.hsts() != null) {
                headers.set(HSTS, security.hsts());
            }
            if (security.frameOptions() != null) {
                headers.set(FRAME_OPTIONS, security.frameOptions());
            }
            if (security.noSniff()) {
                headers.set(CONTENT_TYPE_OPTIONS, NOSNIFF);
            }
            if (security.xssProtection()) {
                headers.set(XSS_PROTECTION, XSS_BLOCK);
            }
        }
        apply(rules.responseHeaders(), headers, facts);
    }

    /** Adds a token to Vary unless it, or "*", is already there. */
    static void addVary(HttpHeaders headers, AsciiString token) {
        final String vary = headers.get(HttpHeaderNames.VARY);
        if (vary == null || vary.isEmpty()) {
            headers.set(HttpHeaderNames.VARY, token);
        } else if (!containsToken(vary, token) && !containsToken(vary, "*")) {
            headers.set(HttpHeaderNames.VARY, vary + ", " + token);
        }
    }

    private static boolean containsToken(String list, CharSequence token) {
        final int n = token.length();
        int i = 0;
        while (i < list.length()) {
            while (i < list.length() && (list.charAt(i) == ' ' || list.charAt(i) == ',' || list.charAt(i) == '\t')) {
                i++;
            }
            int end = i;
            while (end < list.length() && list.charAt(end) != ',') {
                end++;
            }
            int trimmed = end;
            while (trimmed > i && (list.charAt(trimmed - 1) == ' ' || list.charAt(trimmed - 1) == '\t')) {
                trimmed--;
            }
            if (trimmed - i == n && AsciiString.regionMatches(list, true, i, token, 0, n)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private static void apply(HeaderRules rules, HttpHeaders headers, ExchangeFacts facts) {
        if (rules.isEmpty()) {
            return;
        }
        for (String name : rules.removals()) {
            headers.remove(name);
        }
        final String[] names = rules.names();
        final HeaderTemplate[] values = rules.values();
        for (int i = 0; i < names.length; i++) {
            headers.set(names[i], values[i].render(facts));
        }
    }
}
