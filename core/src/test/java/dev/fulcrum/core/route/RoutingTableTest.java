package dev.fulcrum.core.route;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.LocationConfig;
import dev.fulcrum.core.config.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RoutingTableTest {

    private static VirtualHosts hosts(String yaml, int port) throws ConfigException {
        final RoutingTable table = RoutingTable.build(ConfigLoader.parse(yaml, "test.yaml"));
        final VirtualHosts hosts = table.forPort(port);
        assertNotNull(hosts, "no listener on " + port);
        return hosts;
    }

    private static String service(VirtualHosts hosts, CharSequence host) {
        final Location location = hosts.route(host, "/");
        return location == null ? null : location.serviceName();
    }

    private static String path(VirtualHosts hosts, String target) {
        final Location location = hosts.route("app.test", target);
        return location == null ? null : location.path();
    }

    private static final String TWO_HOSTS = """
            services:
              - name: a
                host: a.test
                port: 8080
                locations: [{backends: [{url: "http://127.0.0.1:9001"}]}]
              - name: b
                host: b.test
                port: 8080
                locations: [{backends: [{url: "http://127.0.0.1:9002"}]}]
            """;

    @Test
    void exactHostMatchIgnoresCaseAndThePort() throws ConfigException {
        final VirtualHosts hosts = hosts(TWO_HOSTS, 8080);
        assertEquals("a", service(hosts, "a.test:8080"));
        assertEquals("b", service(hosts, "B.TEST:8080"));
        assertEquals("b", service(hosts, "b.Test"));
        assertEquals("a", service(hosts, "a.test:9999"), "the listener port chose the table, not the Host port");
        assertEquals("a", service(hosts, " a.test "), "optional whitespace around the value");
        assertEquals("a", service(hosts, "a.test.:8080"), "fully qualified trailing dot");
        assertEquals("a", service(hosts, new StringBuilder("A.test:8080")), "any CharSequence");
    }

    @Test
    void unknownHostGetsNoLocationWhenThePortHasNoDefaultService() throws ConfigException {
        final VirtualHosts hosts = hosts(TWO_HOSTS, 8080);
        assertFalse(hosts.hasDefaultService());
        assertNull(service(hosts, "c.test:8080"));
        assertNull(service(hosts, "a.test.evil"));
        assertNull(service(hosts, "test"));
        assertNull(service(hosts, null));
        assertNull(service(hosts, ""));
    }

    private static final String WILDCARDS = """
            services:
              - name: apex
                host: example.com
                locations: [{backends: [{url: "http://b:1"}]}]
              - name: any-sub
                host: "*.example.com"
                locations: [{backends: [{url: "http://b:1"}]}]
              - name: api-sub
                host: "*.api.example.com"
                locations: [{backends: [{url: "http://b:1"}]}]
              - name: exact-sub
                host: www.api.example.com
                locations: [{backends: [{url: "http://b:1"}]}]
              - name: fallback
                locations: [{backends: [{url: "http://b:1"}]}]
            """;

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthButNotTheApex() throws ConfigException {
        final VirtualHosts hosts = hosts(WILDCARDS, 8080);
        assertEquals("any-sub", service(hosts, "www.example.com"));
        assertEquals("any-sub", service(hosts, "a.b.c.EXAMPLE.com:8080"));
        assertEquals("apex", service(hosts, "example.com"), "the apex is its own service, not the wildcard's");
        assertEquals("fallback", service(hosts, "notexample.com"), "suffix must start at a label boundary");
        assertEquals("fallback", service(hosts, ".example.com"), "an empty first label is not a subdomain");
    }

    @Test
    void longestWildcardWinsAndExactNamesBeatWildcards() throws ConfigException {
        final VirtualHosts hosts = hosts(WILDCARDS, 8080);
        assertEquals("api-sub", service(hosts, "v1.api.example.com"));
        assertEquals("api-sub", service(hosts, "x.v1.api.example.com"));
        assertEquals("any-sub", service(hosts, "api.example.com"), "apex of *.api.example.com");
        assertEquals("exact-sub", service(hosts, "WWW.api.example.com"));
    }

    @Test
    void defaultServiceTakesUnknownMissingAndEmptyHosts() throws ConfigException {
        final VirtualHosts hosts = hosts(WILDCARDS, 8080);
        assertTrue(hosts.hasDefaultService());
        assertEquals("fallback", service(hosts, "unknown.test"));
        assertEquals("fallback", service(hosts, null), "HTTP/1.0 without Host");
        assertEquals("fallback", service(hosts, ""));
        assertEquals("fallback", service(hosts, ":8080"));
        assertEquals("fallback", service(hosts, "[::1"), "malformed IPv6 literal");
    }

    @Test
    void ipv6LiteralHostsMatchWithOrWithoutPort() throws ConfigException {
        final String yaml = """
                services:
                  - name: v6
                    host: "[::1]"
                    locations: [{backends: [{url: "http://b:1"}]}]
                  - name: v4
                    host: 127.0.0.1
                    locations: [{backends: [{url: "http://b:1"}]}]
                """;
        final VirtualHosts hosts = hosts(yaml, 8080);
        assertEquals("v6", service(hosts, "[::1]:8080"));
        assertEquals("v6", service(hosts, "[::1]"));
        assertEquals("v4", service(hosts, "127.0.0.1:8080"));
    }

    private static final String LOCATIONS = """
            services:
              - name: app
                host: app.test
                locations:
                  - path: /
                    backends: [{url: "http://b:1"}]
                  - path: /api/
                    backends: [{url: "http://b:2"}]
                  - path: /api/v2/
                    backends: [{url: "http://b:3"}]
                  - path: /static
                    backends: [{url: "http://b:4"}]
            """;

    @Test
    void longestMatchingPrefixWinsWhateverTheConfiguredOrder() throws ConfigException {
        final VirtualHosts hosts = hosts(LOCATIONS, 8080);
        assertEquals("/api/", path(hosts, "/api/users"));
        assertEquals("/", path(hosts, "/about"));
        assertEquals("/api/v2/", path(hosts, "/api/v2/users"));
        assertEquals("/api/", path(hosts, "/api/v1/users"));
        assertEquals("/api/", path(hosts, "/api/users"), "no cache: the same request routes the same way again");
    }

    @Test
    void prefixIsTextualNotSegmentAware() throws ConfigException {
        final VirtualHosts hosts = hosts(LOCATIONS, 8080);
        assertEquals("/static", path(hosts, "/staticfiles/x.css"));
        assertEquals("/static", path(hosts, "/static"));
    }

    @Test
    void trailingSlashOfALocationMatters() throws ConfigException {
        final VirtualHosts hosts = hosts(LOCATIONS, 8080);
        assertEquals("/", path(hosts, "/api"), "/api does not match location /api/");
        final String onlyApi = """
                services:
                  - host: app.test
                    locations: [{path: /api/, backends: [{url: "http://b:1"}]}]
                """;
        assertNull(path(hosts(onlyApi, 8080), "/api"));
    }

    @Test
    void pathMatchingIsCaseSensitive() throws ConfigException {
        final String onlyApi = """
                services:
                  - host: app.test
                    locations: [{path: /api/, backends: [{url: "http://b:1"}]}]
                """;
        final VirtualHosts hosts = hosts(onlyApi, 8080);
        assertNull(path(hosts, "/API/x"));
        assertEquals("/api/", path(hosts, "/api/x"));
    }

    @Test
    void queryIsIgnoredForMatching() throws ConfigException {
        final VirtualHosts hosts = hosts(LOCATIONS, 8080);
        assertEquals("/", path(hosts, "/x?to=/api/users"), "a prefix inside the query does not count");
        assertEquals("/", path(hosts, "/api?/"), "the query starts at the first '?'");
        assertEquals("/api/", path(hosts, "/api/?q=1"));
        assertNull(path(hosts, "*"), "asterisk-form has no path");
    }

    @Test
    void routedLocationCarriesRewriterRedirectAndPool() throws ConfigException {
        final String yaml = """
                services:
                  - name: app
                    host: app.test
                    port: 8443
                    locations:
                      - path: /api/
                        rewrite: /v1/
                        backends: [{url: "http://b:1"}, {url: "http://b:2"}]
                      - path: /
                        redirect: /app/
                        backends: [{url: "http://b:3"}]
                """;
        final RoutingTable table = RoutingTable.build(ConfigLoader.parse(yaml, "t"));
        assertEquals(Set.of(8443), table.ports());
        assertNull(table.forPort(8080));
        final Location api = table.forPort(8443).route("app.test:8443", "/api/users?x=1");
        assertEquals("app", api.serviceName());
        assertEquals(8443, api.port());
        assertEquals("/v1/users?x=1", api.rewriter().rewrite("/api/users?x=1"));
        assertNull(api.redirect());
        assertEquals(2, api.pool().snapshot().size());
        final Location root = table.forPort(8443).route("app.test", "/");
        assertEquals("/app/", root.redirect());
        assertEquals(2, table.locations().size());
        assertEquals(List.of(api.pool(), root.pool()), table.allPools());
        assertSame(api, table.find("app", "/api/"));
        assertNull(table.find("app", "/nope/"));
    }

    @Test
    void eachPortHasItsOwnVirtualHosts() throws ConfigException {
        final String yaml = """
                port: 9000
                services:
                  - name: a
                    host: app.test
                    locations: [{backends: [{url: "http://b:1"}]}]
                  - name: b
                    host: app.test
                    port: 9001
                    locations: [{backends: [{url: "http://b:2"}]}]
                """;
        final RoutingTable table = RoutingTable.build(ConfigLoader.parse(yaml, "t"));
        assertEquals(Set.of(9000, 9001), table.ports());
        assertEquals("a", table.forPort(9000).route("app.test:9001", "/").serviceName());
        assertEquals("b", table.forPort(9001).route("app.test", "/").serviceName());
        assertTrue(table.locations().get(0).pool() != table.locations().get(1).pool(), "one pool per location");
    }

    @Test
    void duplicateHostsBuiltInCodeAreRejected() {
        final LocationConfig root = FulcrumConfig.forBackends(80, List.of("http://b:1"), null, 0, null)
                .services().get(0).locations().get(0);
        final FulcrumConfig config = new FulcrumConfig("auto", 0, List.of(
                new ServiceConfig("a", "x.test", 80, List.of(root), 0),
                new ServiceConfig("b", "x.test", 80, List.of(root), 0)),
                FulcrumConfig.forBackends(80, List.of("http://b:1"), null, 0, null).timeouts(),
                dev.fulcrum.core.config.LimitsConfig.DEFAULTS, 2,
                dev.fulcrum.core.config.ProxyHeadersConfig.DEFAULTS,
                dev.fulcrum.core.config.ConnectionPoolConfig.DEFAULTS, List.of(), "0.0.0.0");
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.build(config));
    }

    @Test
    void routeAllocatesNothing() throws ConfigException {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final VirtualHosts wildcard = hosts(WILDCARDS, 8080);
        final VirtualHosts locations = hosts(LOCATIONS, 8080);
        final String[] hostHeaders = {"x.api.example.com:8080", "WWW.EXAMPLE.COM", "[::1]:80", "example.com.", null};
        final String[] targets = {"/api/v2/users?x=1", "/about", "/staticfiles", "/API/"};
        final long tid = Thread.currentThread().getId();
        int sink = 0;
        for (int warm = 0; warm < 20_000; warm++) {
            sink += route(wildcard, locations, hostHeaders, targets, warm);
        }
        final long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sink += route(wildcard, locations, hostHeaders, targets, i);
        }
        final long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(sink > 0);
        // A single String or toLowerCase per call would be >= 2.4 MB over 100k calls; allow measurement noise.
        assertTrue(allocated < 100_000, "route allocated " + allocated + " bytes over 100k calls");
    }

    private static int route(VirtualHosts wildcard, VirtualHosts locations, String[] hostHeaders, String[] targets,
                             int i) {
        final Location a = wildcard.route(hostHeaders[i % hostHeaders.length], targets[i % targets.length]);
        final Location b = locations.route("App.Test:8080", targets[i % targets.length]);
        return (a == null ? 0 : 1) + (b == null ? 0 : 1);
    }
}
