package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.select.SelectorOptions;
import dev.fulcrum.algorithms.snapshot.BackendAddress;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates a Fulcrum (terraster-compatible) YAML configuration into a {@link FulcrumConfig}.
 *
 * <p>Stateless and thread-safe; meant for the control thread. Parsing is strict: an unknown key is an error, and so
 * is every value Fulcrum cannot honour, each reported as {@code file:line key.path: reason}. terraster keys for
 * features not built yet are accepted and listed in {@link FulcrumConfig#warnings()} instead. See
 * {@code docs/configuration.md} for every key.
 */
public final class ConfigLoader {
    private static final Set<String> ROOT_KEYS = Set.of("transport", "io_threads", "bind", "retries", "timeouts",
            "limits", "proxy_headers", "connection_pool", "port", "host", "algorithm", "backends", "services",
            HealthCheckParser.KEY, OutlierParser.KEY, ServicePolicyParser.CIRCUIT_BREAKER,
            ServicePolicyParser.RATE_LIMIT, ResilienceParser.TRUSTED_PROXIES, ResilienceParser.RETRY_BUDGET,
            "middleware",
            LbOptionsLoader.KEY,
            // Control plane: parsed by ControlConfigLoader.
            "api", "auth", "access_log", "reload");
    private static final Set<String> ROOT_NOT_BUILT = Set.of("tls", "certmanager",
            "plugin_directory", "http_port", "https_port");
    private static final Set<String> TIMEOUT_KEYS =
            Set.of("connect", "response", "client_idle", "request_header", "upstream_idle", "drain", "tunnel_idle");
    private static final Set<String> LIMIT_KEYS =
            Set.of("max_header_bytes", "max_uri_bytes", "max_body_bytes", "max_header_count", "max_client_connections");
    private static final Set<String> PROXY_HEADER_KEYS = Set.of("x_forwarded_for", "x_forwarded_host",
            "x_forwarded_proto", "x_real_ip", "proxy_by", "strip_server", "strip_powered_by");
    private static final Set<String> POOL_KEYS = Set.of("max_idle", "idle_timeout");
    private static final Set<String> POOL_NOT_BUILT = Set.of("max_open");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "host", "port", "locations",
            HealthCheckParser.KEY, OutlierParser.KEY, ServicePolicyParser.CIRCUIT_BREAKER,
            ServicePolicyParser.RATE_LIMIT,
            "log_name", // log_name: parsed by ControlConfigLoader
            "http_redirect", "redirect_port", "headers", "middleware", "tls");
    private static final Set<String> SERVICE_NOT_BUILT = Set.of("log_options", "plugin_disabled");
    private static final Set<String> LOCATION_KEYS = Set.of("path", "rewrite", "redirect", "lb_policy", "backends",
            "redirect_status", "redirect_keep_query", "redirect_match", LbOptionsLoader.KEY);
    private static final Set<String> BACKEND_KEYS = Set.of("url", "weight", "max_connections",
            HealthCheckParser.KEY, "skip_tls_verify", "sni", "ca_file", "protocol", "http2");
    private static final Set<String> BACKEND_NOT_BUILT = Set.of();

    /** Upper bound for io_threads: far above any useful count, low enough to catch a typo like 80000. */
    static final int MAX_IO_THREADS = 4096;
    /** Keeps the sum of weights of 1024 backends below 2^31, so weighted algorithms need no overflow checks. */
    static final int MAX_WEIGHT = 1_000_000;

    private static final String PORT_RANGE = "an integer 1..65535";

    private ConfigLoader() {
    }

    /**
     * Reads and validates a config file (UTF-8).
     *
     * @throws ConfigException naming the file, line and key of the first problem found
     */
    public static FulcrumConfig load(Path file) throws ConfigException {
        final String source = file.toString();
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, 0, "", "file not found", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, 0, "", "not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, "", "cannot read file: " + e.getMessage(), e);
        }
        return parse(text, source);
    }

    /**
     * Validates YAML text.
     *
     * @param sourceName the name errors and warnings carry, normally the file name
     * @throws ConfigException naming the source, line and key of the first problem found
     */
    public static FulcrumConfig parse(String yaml, String sourceName) throws ConfigException {
        final List<String> warnings = new ArrayList<>();
        final Fields.Loading loading = new Fields.Loading(sourceName, warnings);
        final YamlNode root = YamlReader.read(yaml, sourceName);
        if (root == null || root instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) root).isNull()) {
            throw new ConfigException(sourceName, 0, "", "empty configuration (expected: services or backends)");
        }
        final Fields top = Fields.of(loading, root, "", ROOT_KEYS, ROOT_NOT_BUILT);

        final String transport = transport(top);
        final int ioThreads = top.integer("io_threads", FulcrumConfig.DEFAULT_IO_THREADS, 0, MAX_IO_THREADS,
                "an integer 0.." + MAX_IO_THREADS + "; 0 means one per core");
        final String bind = bind(top);
        final int retries = top.integer("retries", FulcrumConfig.DEFAULT_RETRIES, 0, Integer.MAX_VALUE,
                "an integer >= 0");
        final int defaultPort = top.integer("port", FulcrumConfig.DEFAULT_PORT, 1, 65535, PORT_RANGE);
        final String defaultAlgorithm = algorithm(top, "algorithm", SelectorFactory.DEFAULT_ALGORITHM);
        final SelectorOptions defaultOptions = LbOptionsLoader.read(loading, top, SelectorOptions.DEFAULTS);
        final TimeoutsConfig timeouts = timeouts(loading, top);
        final LimitsConfig limits = limits(loading, top);
        final ProxyHeadersConfig proxyHeaders = proxyHeaders(loading, top);
        final ConnectionPoolConfig pool = connectionPool(loading, top);
        final MiddlewareConfig globalMiddleware = ServiceOptionsLoader.globalMiddleware(loading, top);

        final List<YamlNode> serviceNodes = top.list("services");
        final List<YamlNode> shorthandBackends = top.list("backends");
        final List<ServiceConfig> services;
        if (!serviceNodes.isEmpty() && !shorthandBackends.isEmpty()) {
            throw top.error("backends", "top-level backends and services are both set (expected: one of them;"
                    + " terraster silently ignored the top-level backends)");
        } else if (!serviceNodes.isEmpty()) {
            if (top.entry("host") != null) {
                top.warn("host", "ignored: the top-level host only applies to top-level backends");
            }
            services = services(loading, top, serviceNodes, defaultPort, defaultAlgorithm, defaultOptions,
                    globalMiddleware);
        } else if (!shorthandBackends.isEmpty()) {
            services = List.of(shorthandService(loading, top, shorthandBackends, defaultPort, defaultAlgorithm,
                    defaultOptions, globalMiddleware));
        } else {
            throw new ConfigException(sourceName, top.line(), "", "no services and no backends"
                    + " (expected: a services list, or a top-level backends list)");
        }
        final ResilienceConfig resilience = ResilienceParser.parse(loading, top, services, serviceNodes.isEmpty());
        return new FulcrumConfig(transport, ioThreads, services, timeouts, limits, retries, proxyHeaders, pool,
                warnings, bind, resilience);
    }

    private static String transport(Fields top) throws ConfigException {
        final String configured = top.string("transport", FulcrumConfig.DEFAULT_TRANSPORT);
        final String canonical = FulcrumConfig.normaliseTransport(configured);
        if (canonical == null) {
            throw top.invalid(top.entry("transport"), "auto, io_uring, epoll or nio");
        }
        return canonical;
    }

    private static String bind(Fields top) throws ConfigException {
        String bind = top.string("bind", FulcrumConfig.DEFAULT_BIND_HOST).trim();
        if (bind.startsWith("[") && bind.endsWith("]")) {
            bind = bind.substring(1, bind.length() - 1);
        }
        if (bind.isEmpty() || bind.indexOf(' ') >= 0) {
            throw top.invalid(top.entry("bind"), "an IP address or host name to listen on, e.g. \"0.0.0.0\"");
        }
        return bind;
    }

    private static String algorithm(Fields fields, String key, String defaultCanonical) throws ConfigException {
        final String configured = fields.string(key, null);
        if (configured == null || configured.isBlank()) {
            return defaultCanonical;
        }
        try {
            return Algorithms.canonical(configured);
        } catch (IllegalArgumentException e) {
            throw fields.error(key, e.getMessage());
        }
    }

    private static TimeoutsConfig timeouts(Fields.Loading loading, Fields top) throws ConfigException {
        final YamlNode node = top.node("timeouts");
        if (node == null) {
            return TimeoutsConfig.DEFAULTS;
        }
        final Fields f = Fields.of(loading, node, "timeouts", TIMEOUT_KEYS, Set.of());
        final long clientIdle = f.durationMillis("client_idle", TimeoutsConfig.DEFAULT_CLIENT_IDLE_TIMEOUT_MILLIS);
        return new TimeoutsConfig(
                f.durationMillis("connect", TimeoutsConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS),
                f.durationMillis("response", TimeoutsConfig.DEFAULT_RESPONSE_TIMEOUT_MILLIS),
                clientIdle,
                f.durationMillis("request_header", TimeoutsConfig.DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS),
                f.durationMillis("upstream_idle", TimeoutsConfig.DEFAULT_UPSTREAM_IDLE_TIMEOUT_MILLIS),
                f.durationMillis("drain", TimeoutsConfig.DEFAULT_DRAIN_TIMEOUT_MILLIS),
                f.durationMillis("tunnel_idle", clientIdle));
    }

    private static LimitsConfig limits(Fields.Loading loading, Fields top) throws ConfigException {
        final YamlNode node = top.node("limits");
        if (node == null) {
            return LimitsConfig.DEFAULTS;
        }
        final Fields f = Fields.of(loading, node, "limits", LIMIT_KEYS, Set.of());
        final String positive = "an integer >= 1";
        final long body = f.longInteger("max_body_bytes", 0L, 0L, Long.MAX_VALUE,
                "an integer >= 0; 0 means unlimited");
        return new LimitsConfig(
                f.integer("max_header_bytes", LimitsConfig.DEFAULT_MAX_HEADER_BYTES, 1, Integer.MAX_VALUE, positive),
                f.integer("max_uri_bytes", LimitsConfig.DEFAULT_MAX_URI_BYTES, 1, Integer.MAX_VALUE, positive),
                body == 0L ? LimitsConfig.DEFAULT_MAX_BODY_BYTES : body,
                f.integer("max_header_count", LimitsConfig.DEFAULT_MAX_HEADER_COUNT, 1, Integer.MAX_VALUE, positive),
                f.integer("max_client_connections", LimitsConfig.DEFAULT_MAX_CLIENT_CONNECTIONS, 1,
                        Integer.MAX_VALUE, positive));
    }

    private static ProxyHeadersConfig proxyHeaders(Fields.Loading loading, Fields top) throws ConfigException {
        final YamlNode node = top.node("proxy_headers");
        if (node == null) {
            return ProxyHeadersConfig.DEFAULTS;
        }
        final Fields f = Fields.of(loading, node, "proxy_headers", PROXY_HEADER_KEYS, Set.of());
        // proxy_by written with no value, or as "", turns the header off.
        final String label = f.has("proxy_by")
                ? f.string("proxy_by", null)
                : ProxyHeadersConfig.DEFAULT_PROXY_BY_LABEL;
        if (label != null && !isHeaderValue(label)) {
            throw f.invalid(f.entry("proxy_by"), "printable ASCII text for the X-Proxy-By header");
        }
        return new ProxyHeadersConfig(
                f.bool("x_forwarded_for", true),
                f.bool("x_forwarded_host", true),
                f.bool("x_forwarded_proto", true),
                f.bool("x_real_ip", true),
                label,
                f.bool("strip_server", true),
                f.bool("strip_powered_by", true));
    }

    private static ConnectionPoolConfig connectionPool(Fields.Loading loading, Fields top) throws ConfigException {
        final YamlNode node = top.node("connection_pool");
        if (node == null) {
            return ConnectionPoolConfig.DEFAULTS;
        }
        final Fields f = Fields.of(loading, node, "connection_pool", POOL_KEYS, POOL_NOT_BUILT);
        return new ConnectionPoolConfig(
                f.integer("max_idle", ConnectionPoolConfig.DEFAULT_MAX_IDLE_PER_BACKEND, 0, Integer.MAX_VALUE,
                        "an integer >= 0; 0 disables connection reuse"),
                f.durationMillis("idle_timeout", ConnectionPoolConfig.DEFAULT_IDLE_TIMEOUT_MILLIS));
    }

    private static ServiceConfig shorthandService(Fields.Loading loading, Fields top, List<YamlNode> backendNodes,
                                                  int port, String algorithm, SelectorOptions options,
                                                  MiddlewareConfig middleware)
            throws ConfigException {
        final String host = host(top, "host");
        final List<BackendConfig> backends = backends(loading, backendNodes, "backends");
        final LocationConfig location =
                new LocationConfig(LocationConfig.DEFAULT_PATH, null, null, algorithm, backends, options);
        return new ServiceConfig(FulcrumConfig.DEFAULT_SERVICE_NAME, host, port, List.of(location),
                top.lineOf("backends"), middleware == MiddlewareConfig.NONE ? ServiceOptions.NONE
                        : new ServiceOptions(0, HeadersConfig.NONE, middleware));
    }

    private static List<ServiceConfig> services(Fields.Loading loading, Fields top, List<YamlNode> nodes,
                                                int defaultPort, String defaultAlgorithm,
                                                SelectorOptions defaultOptions, MiddlewareConfig globalMiddleware)
            throws ConfigException {
        final List<ServiceConfig> services = new ArrayList<>(nodes.size());
        final Map<String, String> firstByName = new HashMap<>();
        final Map<String, String> firstByHostPort = new HashMap<>();
        final Map<Integer, Boolean> tlsByPort = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            final YamlNode node = nodes.get(i);
            final String path = Fields.index("services", i);
            final Fields f = Fields.of(loading, node, path, SERVICE_KEYS, SERVICE_NOT_BUILT);
            final String host = host(f, "host");
            final int port = f.integer("port", defaultPort, 1, 65535, PORT_RANGE);
            final String where = path + " at line " + f.line();

            final String hostPort = (host == null ? "*" : host) + ':' + port;
            final String firstHostPort = firstByHostPort.putIfAbsent(hostPort, where);
            if (firstHostPort != null) {
                throw f.error("host", (host == null
                        ? "a second default service (no host) on port " + port
                        : "duplicate service for host \"" + host + "\" on port " + port)
                        + " (first: " + firstHostPort + ")");
            }
            final String name = serviceName(f, host, port, firstByName, where);
            final ServiceOptions options = ServiceOptionsLoader.service(loading, f, globalMiddleware, host);
            final Boolean portTls = tlsByPort.putIfAbsent(port, options.tls() != null);
            if (portTls != null && portTls != (options.tls() != null)) {
                throw f.error("tls", "protocol mismatch: HTTP and HTTPS services on port " + port
                        + " (expected: one protocol per port)");
            }

            final List<YamlNode> locationNodes = f.list("locations");
            if (locationNodes.isEmpty() && !options.redirectsToHttps()) {
                f.warn("locations", "service \"" + name + "\" has no locations: every request to it gets 404");
            }
            final List<LocationConfig> locations = new ArrayList<>(locationNodes.size());
            final List<Fields> locationFields = new ArrayList<>(locationNodes.size());
            final Map<String, Integer> firstLineByPath = new HashMap<>();
            for (int j = 0; j < locationNodes.size(); j++) {
                final String locationPath = Fields.index(path + ".locations", j);
                final Fields lf = Fields.of(loading, locationNodes.get(j), locationPath, LOCATION_KEYS, Set.of());
                locationFields.add(lf);
                final LocationConfig location = location(loading, lf, defaultAlgorithm, defaultOptions);
                final Integer firstLine = firstLineByPath.putIfAbsent(location.path(), lf.lineOf("path"));
                if (firstLine != null) {
                    throw lf.error("path", "duplicate location path \"" + location.path() + "\" in service \""
                            + name + "\" (first at line " + firstLine + ")");
                }
                locations.add(location);
            }
            for (int j = 0; j < locations.size(); j++) {
                final String loop = RedirectLoops.loopOf(locations.get(j), locations);
                if (loop != null) {
                    throw locationFields.get(j).error("redirect", loop);
                }
            }
            services.add(new ServiceConfig(name, host, port, locations, f.line(), options));
        }
        return services;
    }

    /** The configured name, else the host, else "default"; a derived name that is taken gets ":port" appended. */
    private static String serviceName(Fields f, String host, int port, Map<String, String> firstByName,
                                      String where) throws ConfigException {
        final String configured = f.string("name", null);
        if (configured != null && !configured.isBlank()) {
            final String name = configured.trim();
            final String first = firstByName.putIfAbsent(name, where);
            if (first != null) {
                throw f.error("name", "duplicate service name \"" + name + "\" (first: " + first + ")");
            }
            return name;
        }
        final String derived = host == null ? FulcrumConfig.DEFAULT_SERVICE_NAME : host;
        if (firstByName.putIfAbsent(derived, where) == null) {
            return derived;
        }
        final String withPort = derived + ':' + port;
        final String first = firstByName.putIfAbsent(withPort, where);
        if (first != null) {
            throw f.error("name", "derived service name \"" + withPort + "\" is taken (first: " + first
                    + "); set a name");
        }
        return withPort;
    }

    private static LocationConfig location(Fields.Loading loading, Fields f, String defaultAlgorithm,
                                           SelectorOptions defaultOptions) throws ConfigException {
        final String path = f.string("path", LocationConfig.DEFAULT_PATH);
        if (!path.startsWith("/") || !isUriPart(path) || path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw f.invalid(f.entry("path"), "a path starting with '/', without query or spaces");
        }
        String rewrite = f.string("rewrite", null);
        if (rewrite != null && rewrite.isEmpty()) {
            rewrite = null;
        }
        if (rewrite != null && (!isUriPart(rewrite) || rewrite.indexOf('?') >= 0 || rewrite.indexOf('#') >= 0)) {
            throw f.invalid(f.entry("rewrite"), "a path prefix such as \"/frontend/\", without query or spaces");
        }
        String redirect = f.string("redirect", null);
        if (redirect != null && redirect.isEmpty()) {
            redirect = null;
        }
        if (redirect != null && (!isUriPart(redirect) || !(redirect.startsWith("/")
                || redirect.regionMatches(true, 0, "http://", 0, 7)
                || redirect.regionMatches(true, 0, "https://", 0, 8)))) {
            throw f.invalid(f.entry("redirect"), "a path starting with '/' or an http(s) URL, without spaces");
        }
        final int redirectStatus = f.integer("redirect_status", LocationConfig.DEFAULT_REDIRECT_STATUS, 301, 308,
                "301, 302, 303, 307 or 308");
        if (!LocationConfig.isRedirectStatus(redirectStatus)) {
            throw f.invalid(f.entry("redirect_status"), "301, 302, 303, 307 or 308");
        }
        final boolean redirectKeepQuery = f.bool("redirect_keep_query", false);
        final String redirectMatch = f.string("redirect_match",
                LocationConfig.defaultRedirectExact(path) ? "exact" : "prefix");
        if (!"exact".equals(redirectMatch) && !"prefix".equals(redirectMatch)) {
            throw f.invalid(f.entry("redirect_match"), "exact or prefix");
        }
        if (redirect == null) {
            for (String key : List.of("redirect_status", "redirect_keep_query", "redirect_match")) {
                if (f.has(key)) {
                    f.warn(key, "ignored: the location has no redirect");
                }
            }
        }
        final String algorithm = algorithm(f, "lb_policy", defaultAlgorithm);
        final List<YamlNode> backendNodes = f.list("backends");
        if (backendNodes.isEmpty()) {
            throw f.error("backends", (f.has("backends") ? "empty" : "missing")
                    + " (expected: at least one backend for location \"" + path + "\")");
        }
        final List<BackendConfig> backends = backends(loading, backendNodes, f.path("backends"));
        final SelectorOptions options = LbOptionsLoader.read(loading, f, defaultOptions);
        return new LocationConfig(path, rewrite, redirect, algorithm, backends, options, redirectStatus,
                redirectKeepQuery, "exact".equals(redirectMatch));
    }

    private static List<BackendConfig> backends(Fields.Loading loading, List<YamlNode> nodes, String path)
            throws ConfigException {
        final List<BackendConfig> backends = new ArrayList<>(nodes.size());
        final Map<String, Integer> firstLineByKey = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            final Fields f = Fields.of(loading, nodes.get(i), Fields.index(path, i), BACKEND_KEYS, BACKEND_NOT_BUILT);
            final String url = f.string("url", null);
            if (url == null) {
                throw f.error("url", "missing (expected: http or https URL)");
            }
            final BackendAddress address;
            try {
                address = BackendAddress.parse(url);
            } catch (IllegalArgumentException e) {
                throw f.invalid(f.entry("url"), "http or https URL");
            }
            if (!address.path().isEmpty() && !address.path().equals("/")) {
                f.warn("url", "path \"" + address.path() + "\" is ignored: backend paths are never prepended"
                        + " (use the location's rewrite)");
            }
            final int weight = f.integer("weight", BackendConfig.DEFAULT_WEIGHT, 0, MAX_WEIGHT,
                    "an integer 0.." + MAX_WEIGHT + "; 0 drains the backend");
            final int maxConnections = f.integer("max_connections", BackendConfig.DEFAULT_MAX_CONNECTIONS, 1,
                    Integer.MAX_VALUE, "an integer >= 1; omit it for the default "
                            + BackendConfig.DEFAULT_MAX_CONNECTIONS);
            final BackendConfig backend = new BackendConfig(address, weight, maxConnections,
                    BackendTlsLoader.read(f, address), BackendTlsLoader.protocol(f, address));
            final Integer firstLine = firstLineByKey.putIfAbsent(backend.key(), f.lineOf("url"));
            if (firstLine != null) {
                throw f.error("url", "duplicate backend " + backend.key() + " in this location (first at line "
                        + firstLine + ")");
            }
            backends.add(backend);
        }
        return backends;
    }

    /**
     * A service host lower-cased, or null for the default service (absent, empty or "*"). Accepts names,
     * {@code *.suffix} wildcards, IPv4 literals and bracketed IPv6 literals (stored without brackets).
     */
    private static String host(Fields f, String key) throws ConfigException {
        final String configured = f.string(key, null);
        if (configured == null) {
            return null;
        }
        String host = configured.trim().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || host.equals("*")) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            final String literal = host.substring(1, host.length() - 1);
            for (int i = 0; i < literal.length(); i++) {
                final char c = literal.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.')) {
                    throw f.invalid(f.entry(key), "an IPv6 literal such as \"[::1]\"");
                }
            }
            return literal;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "example.com." is the same name, fully qualified
        }
        final String name = host.startsWith("*.") ? host.substring(2) : host;
        if (!isDnsName(name)) {
            throw f.invalid(f.entry(key), "a host name without port (e.g. \"app.example.com\"),"
                    + " a wildcard \"*.example.com\", or \"*\" for any host; use punycode for non-ASCII names");
        }
        return host;
    }

    private static boolean isDnsName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Visible ASCII only: what may appear in a request target without encoding. */
    private static boolean isUriPart(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHeaderValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
