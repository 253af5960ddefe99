package dev.fulcrum.core.rules;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.rewrite.UrlRewriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config-time parsing of the rules and the pure parts of each rule. */
class RulesConfigTest {

    @Test
    void aConstantHeaderValueRendersToTheSameInstanceEveryTime() {
        final HeaderTemplate t = HeaderTemplate.parse("no placeholders here");
        assertTrue(t.isConstant());
        assertSame(t.render(kind -> "x"), t.render(kind -> "y"));
        final HeaderTemplate p = HeaderTemplate.parse("a${method}b${uri}${host}");
        assertEquals("aGETb/x?1h:1", p.render(kind -> kind == HeaderTemplate.METHOD ? "GET"
                : kind == HeaderTemplate.URI ? "/x?1" : kind == HeaderTemplate.HOST ? "h:1" : null));
        assertEquals("a${method}b${uri}${host}", p.toString());
    }

    @Test
    void unknownPlaceholdersAndBadRedirectsAreConfigErrorsWithLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                services:
                  - headers:
                      request_headers:
                        X-A: "${client_ip}"
                    locations:
                      - backends: [{url: "http://b:1"}]
                """, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:4 services[0].headers.request_headers.X-A: unknown placeholder"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                services:
                  - locations:
                      - redirect: /x
                        redirect_status: 304
                        backends: [{url: "http://b:1"}]
                """, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:4 services[0].locations[0].redirect_status: 304"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                services:
                  - locations:
                      - redirect: app/
                        backends: [{url: "http://b:1"}]
                """, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:3 services[0].locations[0].redirect:"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                middleware:
                  - cors: {allowed_origins: [app.example]}
                backends: [{url: "http://b:1"}]
                """, "c.yaml"));
        assertTrue(e.getMessage().contains("middleware[0].cors.allowed_origins"), e.getMessage());
    }

    @Test
    void framingHeadersCanNeitherBeSetNorRemovedByHeaderRules() throws ConfigException {
        final ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                services:
                  - headers:
                      response_headers:
                        Transfer-Encoding: chunked
                    locations:
                      - backends: [{url: "http://b:1"}]
                """, "c.yaml"));
        assertTrue(e.getMessage().startsWith("c.yaml:4 services[0].headers.response_headers.Transfer-Encoding:"),
                e.getMessage());
        // Removal is a warning (terraster configs may carry it), and the rule is dropped, not applied.
        final FulcrumConfig config = ConfigLoader.parse("""
                services:
                  - headers:
                      remove_response_headers: [Content-Length, X-Powered-By]
                      remove_request_headers: [connection]
                    locations:
                      - backends: [{url: "http://b:1"}]
                """, "c.yaml");
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("remove_response_headers[0]")
                && w.contains("framing")), config.warnings().toString());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("remove_request_headers[0]")),
                config.warnings().toString());
        final ServiceRules rules = ServiceRules.of(config.services().get(0));
        assertEquals(java.util.List.of("x-powered-by"), java.util.List.of(rules.responseHeaders().removals()));
        assertTrue(rules.requestHeaders().isEmpty());
        // Rules built in code are held to the same line.
        assertThrows(IllegalArgumentException.class,
                () -> HeaderRules.of(java.util.List.of("Content-Length"), java.util.Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> HeaderRules.of(java.util.List.of(), java.util.Map.of("Connection", "close")));
    }

    @Test
    void serviceMiddlewareOverridesTheGlobalBlockFieldByField() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("""
                middleware:
                  - security: {hsts: true, hsts_max_age: 600, frame_options: DENY}
                  - rate_limit: {requests_per_second: 5}
                services:
                  - host: a.test
                    middleware:
                      - security: {frame_options: SAMEORIGIN, content_type_options: true}
                    locations:
                      - backends: [{url: "http://b:1"}]
                  - host: b.test
                    locations:
                      - backends: [{url: "http://b:1"}]
                """, "c.yaml");
        final ServiceConfig a = config.services().get(0);
        assertEquals("SAMEORIGIN", a.options().middleware().security().frameOptions());
        assertTrue(a.options().middleware().security().contentTypeOptions());
        assertEquals(600, a.options().middleware().security().hstsMaxAgeSeconds());
        final ServiceConfig b = config.services().get(1);
        assertEquals("DENY", b.options().middleware().security().frameOptions());
        assertFalse(b.options().middleware().security().contentTypeOptions());
        assertEquals(5.0, config.resilience().rateLimit("b.test").requestsPerSecond(),
                "terraster's global rate_limit middleware is honoured, not warned about");
        assertTrue(config.warnings().isEmpty(), config.warnings()::toString);
        assertEquals("max-age=600", SecurityHeaders.of(b.options().middleware().security()).hsts());
    }

    @ParameterizedTest(name = "location {0} rewrite {1}: backend {2} -> client {3}")
    @CsvSource(nullValues = "-", value = {
            "/api/, -,          /login,          /api/login",
            "/api,  -,          /login,          /api/login",
            "/api/, -,          /,               /api/",
            "/api/, /v1/,       /v1/x/y,         /api/x/y",
            "/api/, /v1/,       /v1,             /api/",
            "/api/, /v1/,       /v1x/y,          /v1x/y",
            "/,     /frontend,  /frontend/home,  /home",
            "/,     -,          /a%2Fb,          /a%2Fb",
    })
    void reversesTheRewriteOfItsLocation(String location, String rewrite, String backendPath, String clientPath) {
        assertEquals(clientPath, new BackendRedirectRewriter(UrlRewriter.of(location, rewrite)).reversePath(backendPath));
    }

    @Test
    void onlyTheBackendsOwnOriginIsRewritten() {
        final BackendRedirectRewriter r = new BackendRedirectRewriter(UrlRewriter.of("/api/", null));
        final BackendAddress backend = BackendAddress.parse("http://10.0.0.1:80");
        assertEquals("https://app.test/api/x?q#f", r.rewrite("http://10.0.0.1/x?q#f", backend, true, "app.test"));
        assertEquals("http://app.test:8080/api/x", r.rewrite("HTTP://10.0.0.1:80/x", backend, false, "app.test:8080"));
        assertEquals("/api/x", r.rewrite("http://10.0.0.1/x", backend, false, null), "no Host: relative");
        assertNull(r.rewrite("http://10.0.0.1:81/x", backend, false, "app.test"));
        assertNull(r.rewrite("http://10.0.0.10/x", backend, false, "app.test"));
        assertNull(r.rewrite("/x", backend, false, "app.test"));
        final BackendAddress v6 = BackendAddress.parse("http://[::1]:9000");
        assertEquals("http://h/api/", r.rewrite("http://[::1]:9000", v6, false, "h"));
    }

    @Test
    void httpsRedirectsUseTheConfiguredHostElseTheClientsAndOmitPort443() {
        assertEquals("https://a.test/p?q", HttpsRedirect.of("a.test", 443).location("evil:1", "/p?q"));
        assertEquals("https://a.test:8443/p", HttpsRedirect.of("a.test", 8443).location(null, "/p"));
        assertEquals("https://x.w.test:8443/", HttpsRedirect.of("*.w.test", 8443).location("x.w.test:80", "/"));
        assertEquals("https://[::1]/", HttpsRedirect.of(null, 443).location("[::1]:80", "/"));
        assertNull(HttpsRedirect.of(null, 443).location(null, "/"));
    }

    @Test
    void corsMatchesOriginsIgnoringCaseAndNeverSendsStarWithCredentials() {
        final CorsPolicy star = CorsPolicy.of(new dev.fulcrum.core.config.CorsConfig(java.util.List.of("*"),
                java.util.List.of("GET"), java.util.List.of(), java.util.List.of(), true, 0));
        assertTrue(star.allows("https://any"));
        assertEquals("https://any", star.allowOrigin("https://any"));
        final CorsPolicy list = CorsPolicy.of(new dev.fulcrum.core.config.CorsConfig(
                java.util.List.of("https://A.example/"), java.util.List.of("GET"), java.util.List.of(),
                java.util.List.of(), false, 0));
        assertTrue(list.allows("https://a.EXAMPLE"));
        assertFalse(list.allows("https://a.example.evil"));
        assertFalse(list.allows(null));
    }

    @Test
    void compressionAcceptsTerrastersBooleanOrAMappingAndMatchesTypesIgnoringParameters() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("""
                middleware:
                  - compression: true
                services:
                  - host: a.test
                    locations:
                      - backends: [{url: "http://b:1"}]
                  - host: b.test
                    middleware:
                      - compression: {min_bytes: 10, types: [application/json]}
                    locations:
                      - backends: [{url: "http://b:1"}]
                """, "c.yaml");
        final CompressionPolicy a = CompressionPolicy.of(config.services().get(0).options().middleware().compression());
        assertTrue(a.shouldCompress("Text/HTML; charset=utf-8", -1));
        assertTrue(a.shouldCompress("application/json", 5000));
        assertFalse(a.shouldCompress("application/json", 100), "below the default 1024");
        assertFalse(a.shouldCompress("image/png", 5000));
        assertFalse(a.shouldCompress("text/", 5000));
        assertFalse(a.shouldCompress(null, 5000));
        final CompressionPolicy b = CompressionPolicy.of(config.services().get(1).options().middleware().compression());
        assertTrue(b.shouldCompress("application/json", 100));
        assertFalse(b.shouldCompress("text/plain", 100));
        assertNull(CompressionPolicy.of(dev.fulcrum.core.config.CompressionConfig.OFF));
    }
}
