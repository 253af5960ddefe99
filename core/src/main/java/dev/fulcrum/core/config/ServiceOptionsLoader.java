package dev.fulcrum.core.config;

import dev.fulcrum.core.rules.HeaderRules;
import dev.fulcrum.core.rules.HeaderTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the service keys beyond routing: {@code http_redirect}/{@code redirect_port}, {@code headers} and
 * {@code middleware} (global list and per-service list), for {@link ConfigLoader}.
 *
 * <p>Stateless; confined to the loading thread. Middleware merges field by field: the global list is read first,
 * each block starting from what earlier blocks set, and a service's blocks start from the global result, so a
 * service only writes the fields it wants to change.
 */
final class ServiceOptionsLoader {
    private static final Set<String> HEADERS_KEYS = Set.of("request_headers", "response_headers",
            "remove_request_headers", "remove_response_headers");
    /** {@code rate_limit} and {@code circuit_breaker} items are read by {@link ServicePolicyParser}. */
    private static final Set<String> MIDDLEWARE_KEYS = Set.of("security", "cors", "compression",
            ServicePolicyParser.RATE_LIMIT, ServicePolicyParser.CIRCUIT_BREAKER);
    private static final Set<String> COMPRESSION_KEYS = Set.of("enabled", "min_bytes", "types");
    private static final Set<String> SECURITY_KEYS = Set.of("hsts", "hsts_max_age", "hsts_include_subdomains",
            "hsts_preload", "frame_options", "content_type_options", "xss_protection");
    private static final Set<String> TLS_KEYS = Set.of("enabled", "cert_file", "key_file", "next_protos", "http2");
    private static final Set<String> TLS_NOT_BUILT = Set.of("cipher_suites", "session_tickets_disabled");
    private static final Set<String> CORS_KEYS = Set.of("allowed_origins", "allowed_methods", "allowed_headers",
            "exposed_headers", "allow_credentials", "max_age");

    private ServiceOptionsLoader() {
    }

    /** The top-level {@code middleware} list merged into one config ({@link MiddlewareConfig#NONE} when absent). */
    static MiddlewareConfig globalMiddleware(Fields.Loading loading, Fields top) throws ConfigException {
        return middleware(loading, top, "middleware", MiddlewareConfig.NONE);
    }

    /**
     * A service's options.
     *
     * @param host the service's host (null for a default service), for the redirect warning
     */
    static ServiceOptions service(Fields.Loading loading, Fields f, MiddlewareConfig global, String host)
            throws ConfigException {
        final TlsConfig tls = tls(loading, f);
        int redirectPort = 0;
        if (tls != null && f.bool("http_redirect", false)) {
            f.warn("http_redirect", "ignored on a TLS service (as in terraster)");
        } else if (f.bool("http_redirect", false)) {
            redirectPort = f.integer("redirect_port", ServiceOptions.DEFAULT_REDIRECT_PORT, 1, 65535,
                    "an integer 1..65535");
            if (!f.list("locations").isEmpty()) {
                f.warn("locations", "ignored: http_redirect answers every request of this service with a redirect");
            }
            if (host == null || host.startsWith("*.")) {
                f.warn("http_redirect", "the service has no exact host: redirects use the host name the client sent");
            }
        } else if (f.has("redirect_port")) {
            f.warn("redirect_port", "ignored: http_redirect is not true");
        }
        final HeadersConfig headers = headers(loading, f);
        final MiddlewareConfig middleware = middleware(loading, f, "middleware", global);
        if (redirectPort == 0 && headers.isEmpty() && middleware == MiddlewareConfig.NONE && tls == null) {
            return ServiceOptions.NONE;
        }
        return new ServiceOptions(redirectPort, headers, middleware, tls);
    }

    /** The service's TLS block when {@code enabled: true}, else null (terraster served such services in plain HTTP). */
    private static TlsConfig tls(Fields.Loading loading, Fields service) throws ConfigException {
        final YamlNode node = service.node("tls");
        if (node == null || node instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) node).isNull()) {
            return null;
        }
        final Fields f = Fields.of(loading, node, service.path("tls"), TLS_KEYS, TLS_NOT_BUILT);
        if (!f.bool("enabled", false)) {
            if (f.has("cert_file")) {
                f.warn("enabled", "tls.enabled is not true: the service is served over plain HTTP (as in terraster)");
            }
            return null;
        }
        return new TlsConfig(pemFile(f, "cert_file"), pemFile(f, "key_file"), alpn(loading, f));
    }

    /**
     * ALPN of a TLS service: {@code next_protos} in its order (h2 and http/1.1 only; terraster's h2 there broke
     * connections, here it is served), without h2 when {@code http2: false}.
     */
    private static List<String> alpn(Fields.Loading loading, Fields f) throws ConfigException {
        final List<String> protocols = new ArrayList<>(TlsConfig.DEFAULT_ALPN.size());
        if (f.has("next_protos")) {
            for (String protocol : strings(loading, f, "next_protos")) {
                final String p = protocol.trim().toLowerCase(Locale.ROOT);
                if (!TlsConfig.DEFAULT_ALPN.contains(p)) {
                    throw f.error("next_protos", "\"" + protocol + "\" (expected: h2 and/or http/1.1)");
                }
                if (!protocols.contains(p)) {
                    protocols.add(p);
                }
            }
        } else {
            protocols.addAll(TlsConfig.DEFAULT_ALPN);
        }
        if (!f.bool("http2", true)) {
            protocols.remove(TlsConfig.H2);
        }
        if (protocols.isEmpty()) {
            throw f.error(f.has("next_protos") ? "next_protos" : "http2",
                    "no protocol left to offer (expected: http/1.1 at least)");
        }
        return protocols;
    }

    private static java.nio.file.Path pemFile(Fields f, String key) throws ConfigException {
        final String name = f.string(key, null);
        if (name == null || name.isBlank()) {
            throw f.error(key, "missing (expected: the path of a PEM file; required when enabled is true)");
        }
        final java.nio.file.Path path;
        try {
            path = java.nio.file.Path.of(name.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw f.invalid(f.entry(key), "a file path");
        }
        if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
            throw f.error(key, "\"" + name + "\" is not a readable file");
        }
        return path;
    }

    private static HeadersConfig headers(Fields.Loading loading, Fields service) throws ConfigException {
        final YamlNode node = service.node("headers");
        if (node == null || node instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) node).isNull()) {
            return HeadersConfig.NONE;
        }
        final Fields f = Fields.of(loading, node, service.path("headers"), HEADERS_KEYS, Set.of());
        return new HeadersConfig(headerMap(loading, f, "request_headers"), headerMap(loading, f, "response_headers"),
                headerNames(loading, f, "remove_request_headers"), headerNames(loading, f, "remove_response_headers"));
    }

    private static Map<String, String> headerMap(Fields.Loading loading, Fields f, String key)
            throws ConfigException {
        final YamlNode node = f.node(key);
        if (node == null || node instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) node).isNull()) {
            return Map.of();
        }
        if (!(node instanceof YamlNode.MapNode)) {
            throw f.invalid(f.entry(key), "a mapping of header names to values");
        }
        final Map<String, String> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : ((YamlNode.MapNode) node).entries().values()) {
            final String where = f.path(key) + '.' + e.key();
            if (!isToken(e.key())) {
                throw loading.error(e.keyLine(), where, "not a header name (expected: letters, digits and -)");
            }
            if (!(e.value() instanceof YamlNode.ScalarNode) || ((YamlNode.ScalarNode) e.value()).isNull()) {
                throw loading.error(e.keyLine(), where, e.value().describe() + " (expected: a header value)");
            }
            final String value = String.valueOf(((YamlNode.ScalarNode) e.value()).value());
            if (!isHeaderValue(value)) {
                throw loading.error(e.keyLine(), where, e.value().describe()
                        + " (expected: printable ASCII text)");
            }
            try {
                HeaderTemplate.parse(value);
            } catch (IllegalArgumentException ex) {
                throw loading.error(e.keyLine(), where, ex.getMessage());
            }
            final String lower = e.key().toLowerCase(Locale.ROOT);
            if (lower.equals("host") || HeaderRules.isFraming(lower)) {
                throw loading.error(e.keyLine(), where, "framing and routing headers cannot be set here");
            }
            out.put(e.key(), value);
        }
        return out;
    }

    private static List<String> headerNames(Fields.Loading loading, Fields f, String key) throws ConfigException {
        final List<YamlNode> items = f.list(key);
        final List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            final YamlNode item = items.get(i);
            final Object value = item instanceof YamlNode.ScalarNode ? ((YamlNode.ScalarNode) item).value() : null;
            if (!(value instanceof String) || !isToken((String) value)) {
                throw loading.error(item.line(), Fields.index(f.path(key), i),
                        item.describe() + " (expected: a header name)");
            }
            final String lower = ((String) value).toLowerCase(Locale.ROOT);
            if (lower.equals("host")) {
                loading.warn(item.line(), Fields.index(f.path(key), i), "ignored: Host is always sent");
                continue;
            }
            if (HeaderRules.isFraming(lower)) {
                // Removing Content-Length after the proxy framed the message would desynchronise the connection.
                loading.warn(item.line(), Fields.index(f.path(key), i),
                        "ignored: Fulcrum sets the framing headers of every message it sends");
                continue;
            }
            out.add((String) value);
        }
        return out;
    }

    private static MiddlewareConfig middleware(Fields.Loading loading, Fields parent, String key,
                                               MiddlewareConfig base) throws ConfigException {
        final List<YamlNode> items = parent.list(key);
        SecurityConfig security = base.security();
        CorsConfig cors = base.cors();
        CompressionConfig compression = base.compression();
        for (int i = 0; i < items.size(); i++) {
            final Fields item = Fields.of(loading, items.get(i), Fields.index(parent.path(key), i), MIDDLEWARE_KEYS,
                    Set.of());
            final YamlNode securityNode = item.node("security");
            if (securityNode != null) {
                security = security(Fields.of(loading, securityNode, item.path("security"), SECURITY_KEYS, Set.of()),
                        security);
            }
            if (item.has("compression")) {
                compression = compression(loading, item, compression);
            }
            final YamlNode corsNode = item.node("cors");
            if (corsNode != null) {
                cors = cors(loading, Fields.of(loading, corsNode, item.path("cors"), CORS_KEYS, Set.of()), cors);
            }
        }
        if (security == base.security() && cors == base.cors() && compression == base.compression()) {
            return base;
        }
        return new MiddlewareConfig(security, cors, compression);
    }

    /** {@code compression: true|false} (terraster) or a mapping {@code {enabled, min_bytes, types}}. */
    private static CompressionConfig compression(Fields.Loading loading, Fields item, CompressionConfig base)
            throws ConfigException {
        final YamlNode node = item.node("compression");
        if (!(node instanceof YamlNode.MapNode)) {
            return new CompressionConfig(item.bool("compression", base.enabled()), base.minBytes(), base.types());
        }
        final Fields f = Fields.of(loading, node, item.path("compression"), COMPRESSION_KEYS, Set.of());
        final List<String> types = f.has("types") ? strings(loading, f, "types") : base.types();
        for (String type : types) {
            if (type.indexOf('/') <= 0) {
                throw f.error("types", "\"" + type + "\" (expected: media types such as text/html or text/*)");
            }
        }
        return new CompressionConfig(f.bool("enabled", true),
                f.integer("min_bytes", base.minBytes(), 0, Integer.MAX_VALUE, "an integer >= 0"), types);
    }

    private static SecurityConfig security(Fields f, SecurityConfig base) throws ConfigException {
        final String frame = f.string("frame_options", base.frameOptions());
        if (frame != null && !frame.isEmpty() && !isHeaderValue(frame)) {
            throw f.invalid(f.entry("frame_options"), "DENY or SAMEORIGIN");
        }
        final long maxAge = f.longInteger("hsts_max_age", base.hstsMaxAgeSeconds(), 0, Long.MAX_VALUE,
                "seconds, an integer >= 0");
        final boolean hsts = f.bool("hsts", base.hsts());
        if (hsts && maxAge == 0 && f.has("hsts_max_age")) {
            f.warn("hsts_max_age", "0 tells browsers to forget the HSTS policy");
        }
        return new SecurityConfig(hsts, maxAge,
                f.bool("hsts_include_subdomains", base.hstsIncludeSubdomains()),
                f.bool("hsts_preload", base.hstsPreload()),
                frame,
                f.bool("content_type_options", base.contentTypeOptions()),
                f.bool("xss_protection", base.xssProtection()));
    }

    private static CorsConfig cors(Fields.Loading loading, Fields f, CorsConfig base) throws ConfigException {
        final List<String> origins = f.has("allowed_origins")
                ? strings(loading, f, "allowed_origins") : base.allowedOrigins();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.startsWith("http://") && !origin.startsWith("https://")) {
                throw f.error("allowed_origins", "\"" + origin
                        + "\" (expected: origins such as \"https://app.example.com\", or \"*\")");
            }
        }
        final List<String> methods = f.has("allowed_methods")
                ? upper(strings(loading, f, "allowed_methods")) : base.allowedMethods();
        final boolean credentials = f.bool("allow_credentials", base.allowCredentials());
        return new CorsConfig(origins, methods.isEmpty() ? CorsConfig.DEFAULT_METHODS : methods,
                f.has("allowed_headers") ? strings(loading, f, "allowed_headers") : base.allowedHeaders(),
                f.has("exposed_headers") ? strings(loading, f, "exposed_headers") : base.exposedHeaders(),
                credentials,
                f.integer("max_age", base.maxAgeSeconds(), 0, Integer.MAX_VALUE, "seconds, an integer >= 0"));
    }

    private static List<String> upper(List<String> values) {
        final List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(v.toUpperCase(Locale.ROOT));
        }
        return out;
    }

    private static List<String> strings(Fields.Loading loading, Fields f, String key) throws ConfigException {
        final List<YamlNode> items = f.list(key);
        final List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            final YamlNode item = items.get(i);
            final Object value = item instanceof YamlNode.ScalarNode ? ((YamlNode.ScalarNode) item).value() : null;
            if (!(value instanceof String) || ((String) value).isBlank() || !isHeaderValue((String) value)) {
                throw loading.error(item.line(), Fields.index(f.path(key), i), item.describe()
                        + " (expected: a non-empty string)");
            }
            out.add(((String) value).trim());
        }
        return out;
    }

    /** RFC 9110 token characters: what a header name may hold. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHeaderValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if ((c < ' ' && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
