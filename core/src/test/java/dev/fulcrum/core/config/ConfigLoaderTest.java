package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Happy paths, defaults, warnings and durations. Validation errors are in {@link ConfigValidationTest}. */
class ConfigLoaderTest {
    private static final String RR = SelectorFactory.DEFAULT_ALGORITHM;

    /** A terraster config in the section 19 schema, with keys Fulcrum has not built yet. */
    private static final String TERRASTER = """
            port: 8080
            algorithm: round-robin
            health_check:
              type: http
              path: /health
              interval: 10s
              timeout: 2s
              thresholds:
                healthy: 2
                unhealthy: 4
            connection_pool:
              max_idle: 32
              max_open: 100
              idle_timeout: 90s
            services:
              - name: app
                host: App.Test
                port: 8081
                health_check:
                  type: tcp
                locations:
                  - path: /api/
                    rewrite: /frontend/
                    lb_policy: round_robin
                    backends:
                      - url: http://127.0.0.1:9001
                        weight: 5
                        max_connections: 10
                      - url: http://127.0.0.1:9002
                        sni: internal.test
                  - path: /
                    redirect: /app/
                    backends:
                      - url: https://[::1]:9443
                        weight: 0
              - host: "*.example.com"
                locations:
                  - backends:
                      - url: http://10.0.0.1
            """;

    @Test
    void loadsATerrasterConfigWithServicesLocationsAndBackends() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse(TERRASTER, "config.yaml");

        assertEquals(2, config.services().size());
        final ServiceConfig app = config.services().get(0);
        assertEquals("app", app.name());
        assertEquals("app.test", app.host(), "host is lower-cased");
        assertEquals(8081, app.port());
        assertEquals(16, app.line());
        assertEquals(2, app.locations().size());

        final LocationConfig api = app.locations().get(0);
        assertEquals("/api/", api.path());
        assertEquals("/frontend/", api.rewrite());
        assertNull(api.redirect());
        assertEquals(RR, api.algorithm(), "round_robin is an alias");
        assertEquals(2, api.backends().size());
        final BackendConfig b1 = api.backends().get(0);
        assertEquals("http://127.0.0.1:9001", b1.url());
        assertEquals("127.0.0.1", b1.address().host());
        assertEquals(9001, b1.address().port());
        assertEquals(5, b1.weight());
        assertEquals(10, b1.maxConnections());
        final BackendConfig b2 = api.backends().get(1);
        assertEquals(BackendConfig.DEFAULT_WEIGHT, b2.weight(), "absent weight is 1, not terraster's 0");
        assertEquals(BackendConfig.DEFAULT_MAX_CONNECTIONS, b2.maxConnections());

        final LocationConfig root = app.locations().get(1);
        assertEquals("/", root.path());
        assertNull(root.rewrite());
        assertEquals("/app/", root.redirect());
        assertEquals(0, root.backends().get(0).weight(), "explicit 0 drains");
        assertTrue(root.backends().get(0).address().secure());
        assertEquals("::1", root.backends().get(0).address().host());

        final ServiceConfig wildcard = config.services().get(1);
        assertEquals("*.example.com", wildcard.host());
        assertEquals("*.example.com", wildcard.name(), "no name: the host names the service");
        assertEquals(8080, wildcard.port(), "no port: the top-level port");
        assertTrue(wildcard.isWildcardHost());
        assertEquals("/", wildcard.locations().get(0).path(), "location path defaults to /");
        assertEquals(80, wildcard.locations().get(0).backends().get(0).address().port());

        assertEquals(32, config.connectionPool().maxIdlePerBackend());
        assertEquals(90_000, config.connectionPool().idleTimeoutMillis());
    }

    @Test
    void warnsWithLineAndKeyPathForEveryKeyNotBuiltYet() throws ConfigException {
        final List<String> warnings = ConfigLoader.parse(TERRASTER, "config.yaml").warnings();

        assertEquals(List.of(
                "config.yaml:13 connection_pool.max_open: " + Fields.NOT_BUILT,
                "config.yaml:30 services[0].locations[0].backends[1].sni: ignored: the backend is plain http"
                        + " (TLS keys apply to https:// backends)"),
                warnings);
    }

    @Test
    void readsTheTlsKeysOfHttpsBackends(@TempDir Path dir) throws Exception {
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        final FulcrumConfig config = ConfigLoader.parse("""
                backends:
                  - url: https://10.0.0.1:8443
                    sni: API.Internal.Test
                    ca_file: %s
                  - url: https://10.0.0.2
                    skip_tls_verify: true
                  - url: https://10.0.0.3
                """.formatted(ca), "c.yaml");
        final List<BackendConfig> backends = config.services().get(0).locations().get(0).backends();
        assertEquals(new BackendTlsConfig(false, "api.internal.test", ca), backends.get(0).tls());
        assertEquals("api.internal.test", backends.get(0).tls().serverName("10.0.0.1"));
        assertEquals(new BackendTlsConfig(true, null, null), backends.get(1).tls());
        assertEquals(BackendTlsConfig.DEFAULT, backends.get(2).tls());
        assertEquals("10.0.0.3", backends.get(2).tls().serverName("10.0.0.3"));
        assertTrue(config.warnings().isEmpty(), config.warnings()::toString);

        final ConfigException badSni = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "backends:\n  - url: https://b\n    sni: \"b:443\"\n", "c.yaml"));
        assertTrue(badSni.getMessage().startsWith("c.yaml:3 backends[0].sni: "), badSni.getMessage());
        final ConfigException noCa = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "backends:\n  - url: https://b\n    ca_file: " + dir.resolve("missing.pem") + "\n", "c.yaml"));
        assertTrue(noCa.getMessage().startsWith("c.yaml:3 backends[0].ca_file: "), noCa.getMessage());
        assertTrue(noCa.getMessage().contains("not a readable file"), noCa.getMessage());
    }

    @Test
    void readsEachBackendsProtocolWithTerrastersHttp2KeyAsTheFallback() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("""
                backends:
                  - url: https://10.0.0.1
                  - url: http://10.0.0.2
                  - url: https://10.0.0.3
                    http2: false
                  - url: https://10.0.0.4
                    protocol: h2
                  - url: http://10.0.0.5
                    protocol: H2C
                  - url: http://10.0.0.6
                    http2: true
                """, "c.yaml");
        final List<BackendConfig> backends = config.services().get(0).locations().get(0).backends();
        assertEquals(List.of(BackendProtocol.AUTO, BackendProtocol.HTTP1, BackendProtocol.HTTP1, BackendProtocol.H2,
                BackendProtocol.H2C, BackendProtocol.HTTP1), backends.stream().map(BackendConfig::protocol).toList());
        assertTrue(config.warnings().isEmpty(), config.warnings()::toString);

        final ConfigException h2OnHttp = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "backends:\n  - url: http://b\n    protocol: h2\n", "c.yaml"));
        assertTrue(h2OnHttp.getMessage().startsWith("c.yaml:3 backends[0].protocol: h2 needs an https:// backend"),
                h2OnHttp.getMessage());
        final ConfigException h2cOnHttps = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "backends:\n  - url: https://b\n    protocol: h2c\n", "c.yaml"));
        assertTrue(h2cOnHttps.getMessage().startsWith("c.yaml:3 backends[0].protocol: h2c is cleartext"),
                h2cOnHttps.getMessage());
        final ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "backends:\n  - url: https://b\n    protocol: spdy\n", "c.yaml"));
        assertTrue(unknown.getMessage().startsWith("c.yaml:3 backends[0].protocol: "), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("http/1.1, auto, h2, h2c"), unknown.getMessage());
        final FulcrumConfig both = ConfigLoader.parse(
                "backends:\n  - url: https://b\n    protocol: http/1.1\n    http2: true\n", "c.yaml");
        assertEquals(List.of("c.yaml:4 backends[0].http2: ignored: protocol is set"), both.warnings());
    }

    @Test
    void warnsForEveryNotBuiltServiceAndBackendKey() throws ConfigException {
        final String yaml = """
                tls: {enabled: false}
                middleware: []
                certmanager: {}
                plugin_directory: ./plugins
                http_port: 80
                https_port: 443
                services:
                  - name: a
                    tls: {enabled: false}
                    http_redirect: false
                    redirect_port: 443
                    middleware: []
                    log_name: a
                    log_options: {headers: true}
                    headers: {request_headers: {X-A: b}}
                    plugin_disabled: true
                    locations:
                      - backends:
                          - url: http://b:1
                            skip_tls_verify: true
                            http2: false
                            health_check: {type: tcp}
                """;
        final List<String> warnings = ConfigLoader.parse(yaml, "c.yaml").warnings();
        // log_name (access log) and health_check are honoured; middleware, http_redirect, headers and service tls
        // are built; redirect_port without http_redirect warns.
        assertEquals(9, warnings.size(), warnings::toString);
        assertTrue(warnings.contains("c.yaml:11 services[0].redirect_port: ignored: http_redirect is not true"),
                warnings::toString);
        assertTrue(warnings.contains("c.yaml:14 services[0].log_options: " + Fields.NOT_BUILT), warnings::toString);
        assertFalse(warnings.toString().contains("health_check"), warnings::toString);
        assertFalse(warnings.toString().contains("http2"), "the backend http2 key is honoured: " + warnings);
    }

    @Test
    void warnsThatABackendUrlPathIsIgnored() throws ConfigException {
        final String yaml = """
                backends:
                  - url: http://b:1/v1
                """;
        final FulcrumConfig config = ConfigLoader.parse(yaml, "c.yaml");
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).startsWith("c.yaml:2 backends[0].url: path \"/v1\" is ignored"),
                config.warnings().get(0));
    }

    @Test
    void appliesDocumentedDefaultsWhenOnlyBackendsAreGiven() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("backends:\n  - url: http://b:1\n", "c.yaml");

        assertEquals("auto", config.transport());
        assertEquals(0, config.ioThreads());
        assertEquals("0.0.0.0", config.bindHost());
        assertEquals(2, config.retries());
        assertEquals(TimeoutsConfig.DEFAULTS, config.timeouts());
        assertEquals(2_000, config.timeouts().connectTimeoutMillis());
        assertEquals(30_000, config.timeouts().responseTimeoutMillis());
        assertEquals(60_000, config.timeouts().clientIdleTimeoutMillis());
        assertEquals(10_000, config.timeouts().requestHeaderTimeoutMillis());
        assertEquals(60_000, config.timeouts().upstreamIdleTimeoutMillis());
        assertEquals(15_000, config.timeouts().drainTimeoutMillis());
        assertEquals(60_000, config.timeouts().tunnelIdleTimeoutMillis(), "tunnel idle follows client idle");
        assertEquals(2_500, ConfigLoader.parse("timeouts: {tunnel_idle: 2500ms}\nbackends: [{url: 'http://b:1'}]\n",
                "c.yaml").timeouts().tunnelIdleTimeoutMillis());
        assertEquals(new LimitsConfig(16_384, 8_192, Long.MAX_VALUE, 100), config.limits());
        assertTrue(config.limits().isBodyUnlimited());
        assertEquals(new ProxyHeadersConfig(true, true, true, true, "fulcrum", true, true), config.proxyHeaders());
        assertEquals(new ConnectionPoolConfig(64, 60_000), config.connectionPool());
        assertTrue(config.warnings().isEmpty());
    }

    @Test
    void shorthandBackendsHonourTopLevelPortHostAndAlgorithm() throws ConfigException {
        final String yaml = """
                port: 9090
                host: API.test
                algorithm: RR
                backends:
                  - url: http://b:1
                  - url: http://b:2
                    weight: 3
                """;
        final FulcrumConfig config = ConfigLoader.parse(yaml, "c.yaml");

        assertEquals(1, config.services().size());
        final ServiceConfig service = config.services().get(0);
        assertEquals("default", service.name());
        assertEquals(9090, service.port(), "terraster hard-coded 8080 here");
        assertEquals("api.test", service.host());
        assertEquals(4, service.line());
        final LocationConfig location = service.locations().get(0);
        assertEquals("/", location.path());
        assertEquals(RR, location.algorithm(), "alias resolved to the canonical name");
        assertEquals(3, location.backends().get(1).weight());
    }

    @Test
    void shorthandBackendsWithoutHostMakeTheDefaultServiceOnPort8080() throws ConfigException {
        final ServiceConfig service = ConfigLoader.parse("backends:\n  - url: http://b:1\n", "c.yaml")
                .services().get(0);
        assertNull(service.host(), "terraster used localhost; Fulcrum matches any host");
        assertTrue(service.isDefaultHost());
        assertEquals(8080, service.port());
    }

    @Test
    void topLevelAlgorithmIsTheDefaultLbPolicyOfLocationsThatNameNone() throws ConfigException {
        final String yaml = """
                algorithm: roundrobin
                services:
                  - name: a
                    locations:
                      - backends: [{url: "http://b:1"}]
                """;
        assertEquals(RR, ConfigLoader.parse(yaml, "c.yaml").services().get(0).locations().get(0).algorithm());
    }

    @Test
    void readsFulcrumTopLevelKeys() throws ConfigException {
        final String yaml = """
                transport: io-uring
                io_threads: 3
                bind: "[::]"
                retries: 0
                timeouts:
                  connect: 1500ms
                  response: 1m30s
                  client_idle: 2m
                  request_header: 5s
                  upstream_idle: 1h
                  drain: 2000000000
                limits:
                  max_header_bytes: 32768
                  max_uri_bytes: 4096
                  max_body_bytes: 1048576
                  max_header_count: 50
                proxy_headers:
                  x_forwarded_for: false
                  x_forwarded_host: true
                  x_forwarded_proto: false
                  x_real_ip: false
                  proxy_by: ""
                  strip_server: false
                  strip_powered_by: true
                connection_pool:
                  max_idle: 0
                  idle_timeout: 5s
                backends:
                  - url: http://b:1
                """;
        final FulcrumConfig config = ConfigLoader.parse(yaml, "c.yaml");

        assertEquals("io_uring", config.transport());
        assertEquals(3, config.ioThreads());
        assertEquals(3, config.effectiveIoThreads());
        assertEquals("::", config.bindHost());
        assertEquals(0, config.retries());
        assertEquals(new TimeoutsConfig(1_500, 90_000, 120_000, 5_000, 3_600_000, 2_000), config.timeouts(),
                "drain given as integer nanoseconds, terraster style");
        assertEquals(new LimitsConfig(32_768, 4_096, 1_048_576, 50), config.limits());
        assertEquals(new ProxyHeadersConfig(false, true, false, false, null, false, true), config.proxyHeaders());
        assertEquals(new ConnectionPoolConfig(0, 5_000), config.connectionPool());
    }

    @Test
    void maxBodyBytesZeroMeansUnlimited() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse(
                "limits: {max_body_bytes: 0}\nbackends: [{url: 'http://b:1'}]\n", "c.yaml");
        assertEquals(Long.MAX_VALUE, config.limits().maxBodyBytes());
    }

    @Test
    void acceptsEveryTransportSpelling() throws ConfigException {
        for (String[] pair : new String[][] {{"auto", "auto"}, {"io_uring", "io_uring"}, {"iouring", "io_uring"},
                {"IO-URING", "io_uring"}, {"epoll", "epoll"}, {"NIO", "nio"}}) {
            final FulcrumConfig config = ConfigLoader.parse(
                    "transport: " + pair[0] + "\nbackends: [{url: 'http://b:1'}]\n", "c.yaml");
            assertEquals(pair[1], config.transport(), pair[0]);
        }
    }

    @Test
    void starHostIsTheDefaultServiceAndTwoPortsMayEachHaveOne() throws ConfigException {
        final String yaml = """
                services:
                  - host: "*"
                    port: 80
                    locations: [{backends: [{url: "http://b:1"}]}]
                  - port: 81
                    locations: [{backends: [{url: "http://b:1"}]}]
                """;
        final List<ServiceConfig> services = ConfigLoader.parse(yaml, "c.yaml").services();
        assertNull(services.get(0).host());
        assertEquals("default", services.get(0).name());
        assertEquals("default:81", services.get(1).name(), "derived name made unique with the port");
    }

    @Test
    void serviceWithoutLocationsLoadsWithAWarning() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("services:\n  - name: a\n    host: a.test\n", "c.yaml");
        assertTrue(config.services().get(0).locations().isEmpty());
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).startsWith("c.yaml:2 services[0].locations: "),
                config.warnings().get(0));
    }

    @Test
    void topLevelHostBesideServicesIsIgnoredWithAWarning() throws ConfigException {
        final String yaml = """
                host: x.test
                services:
                  - host: a.test
                    locations: [{backends: [{url: "http://b:1"}]}]
                """;
        final FulcrumConfig config = ConfigLoader.parse(yaml, "c.yaml");
        assertEquals("a.test", config.services().get(0).host());
        assertEquals(List.of("c.yaml:1 host: ignored: the top-level host only applies to top-level backends"),
                config.warnings());
    }

    @Test
    void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException, ConfigException {
        final Path good = dir.resolve("good.yaml");
        Files.writeString(good, "backends:\n  - url: http://b:1\n");
        assertEquals(1, ConfigLoader.load(good).services().size());

        final Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "backends:\n  - url: ftp://b\n");
        final ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad));
        assertEquals(bad.toString(), e.source());
        assertEquals(2, e.line());

        final ConfigException missing =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertEquals(0, missing.line());
        assertTrue(missing.getMessage().endsWith("nope.yaml file not found"), missing.getMessage());
    }

    @Test
    void commandLineConfigIsOneDefaultServiceWithOneRootLocation() {
        final FulcrumConfig config = FulcrumConfig.forBackends(8000,
                List.of("http://127.0.0.1:9001", "http://127.0.0.1:9002"), "rr", 2, "IOURING");

        assertEquals("io_uring", config.transport());
        assertEquals(2, config.ioThreads());
        final ServiceConfig service = config.services().get(0);
        assertEquals("default", service.name());
        assertNull(service.host());
        assertEquals(8000, service.port());
        assertEquals("/", service.locations().get(0).path());
        assertEquals(RR, service.locations().get(0).algorithm());
        assertEquals(2, service.locations().get(0).backends().size());
        assertEquals(TimeoutsConfig.DEFAULTS, config.timeouts());
    }

    @Test
    void commandLineConfigRejectsBadArgumentsByName() {
        final IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(8000, List.of("htp://x"), null, 0, null));
        assertTrue(url.getMessage().startsWith("--backend \"htp://x\""), url.getMessage());
        final IllegalArgumentException algorithm = assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(8000, List.of("http://x"), "nonsense", 0, null));
        assertTrue(algorithm.getMessage().startsWith("--algorithm"), algorithm.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(0, List.of("http://x"), null, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(8000, List.of(), null, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(8000, List.of("http://x"), null, 0, "kqueue"));
        assertThrows(IllegalArgumentException.class,
                () -> FulcrumConfig.forBackends(8000, List.of("http://x", "http://X:80/"), null, 0, null));
    }

    @Test
    void backendKeyIgnoresPathAndHostCase() {
        assertEquals(BackendConfig.of("http://A.test/x").key(), BackendConfig.of("http://a.test:80").key());
        assertFalse(BackendConfig.of("http://a.test").key().equals(BackendConfig.of("https://a.test:80").key()));
    }

    @Test
    void resolvesAnchorsAliasesAndMergeKeysWithTopLevelExtensionKeysHoldingThem() throws ConfigException {
        final String yaml = """
                x-backend-defaults: &defaults
                  weight: 3
                  max_connections: 5
                x-pool: &pool
                  - url: http://b:1
                    <<: *defaults
                  - url: http://b:2
                    <<: *defaults
                    weight: 7
                services:
                  - name: app
                    locations:
                      - path: /a/
                        backends: *pool
                      - path: /b/
                        backends: *pool
                """;
        final FulcrumConfig config = ConfigLoader.parse(yaml, "c.yaml");
        final List<LocationConfig> locations = config.services().get(0).locations();
        assertEquals(locations.get(0).backends(), locations.get(1).backends());
        final List<BackendConfig> backends = locations.get(0).backends();
        assertEquals(3, backends.get(0).weight());
        assertEquals(5, backends.get(0).maxConnections());
        assertEquals(7, backends.get(1).weight(), "a key written in the mapping wins over a merged one");
        assertEquals(5, backends.get(1).maxConnections());
        assertTrue(config.warnings().isEmpty(), config.warnings()::toString);
    }
}
