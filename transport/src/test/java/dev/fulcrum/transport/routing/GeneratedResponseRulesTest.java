package dev.fulcrum.transport.routing;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestCertificates;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Responses Fulcrum answers itself (404 location miss, 502, 503, 429, location and HTTPS redirects, CORS preflight
 * answers) carry the matched service's security headers and custom response headers, placeholders rendered, like
 * proxied responses do; HSTS only over HTTPS; HTTP/2 streams alike; a request no service takes gets none of them.
 */
@Timeout(90)
class GeneratedResponseRulesTest {
    private static TestCertificates ca;
    private static TestCertificates.Issued cert;
    private TestOrigin origin;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.create();
        cert = ca.issue("gen", "gen.test", "ip:127.0.0.1");
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        ca.delete();
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private static final String HEADERS = "    headers:\n"
            + "      response_headers:\n        X-Served: \"${method} ${uri}\"\n"
            + "      remove_response_headers: [Cache-Control]\n";

    private String locations(int refusedPort) {
        return "    locations:\n"
                + "      - path: /api/\n        backends: [{url: \"" + origin.url() + "\"}]\n"
                + "      - path: /refused/\n        backends: [{url: \"http://127.0.0.1:" + refusedPort + "\"}]\n"
                + "      - path: /dead/\n        backends: [{url: \"" + origin.url() + "\"}]\n"
                + "      - path: /go\n        redirect: /went\n        backends: [{url: \"" + origin.url() + "\"}]\n";
    }

    /** The service's rules, as a proxied response gets them: no HSTS since the connection is plain. */
    private static void assertServiceHeaders(RawHttp.Response r, String served) {
        assertEquals("DENY", r.header("x-frame-options"), r.head);
        assertEquals("nosniff", r.header("x-content-type-options"), r.head);
        assertEquals(served, r.header("x-served"), "placeholders rendered from the request as sent");
        assertNull(r.header("cache-control"), "removals apply too");
        assertNull(r.header("strict-transport-security"), "HSTS only over HTTPS (RFC 6797 7.2)");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void errorsRedirectsRateLimitsAndPreflightsCarryTheServiceHeadersOverPlainHttp(TransportKind kind)
            throws Exception {
        final int refused = ProxyFixture.freePort();
        final String yaml = "middleware:\n"
                + "  - security: {hsts: true, frame_options: DENY, content_type_options: true}\n"
                + "  - cors: {allowed_origins: [\"https://app.example\"]}\n"
                + "services:\n"
                + "  - name: a\n    host: a.test\n    port: {port}\n" + HEADERS + locations(refused)
                + "  - name: limited\n    host: limited.test\n    port: {port}\n"
                + "    rate_limit: {requests_per_second: 0.01, burst: 1}\n" + HEADERS
                + "    locations:\n      - backends: [{url: \"" + origin.url() + "\"}]\n"
                + "  - name: r\n    host: r.test\n    port: {port}\n    http_redirect: true\n" + HEADERS;
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            for (BackendState state : proxy.server().context().routing().find("a", "/dead/").pool().snapshot()
                    .states()) {
                state.setAliveRelease(false);
            }
            raw.send("GET /api/ok HTTP/1.1\r\nHost: a.test\r\n\r\n");
            RawHttp.Response r = raw.readResponse(false);
            assertEquals("o GET /ok", r.body, "the location prefix is stripped");
            assertServiceHeaders(r, "GET /api/ok");

            raw.send("GET /nowhere?q=1 HTTP/1.1\r\nHost: a.test\r\nOrigin: https://app.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(404, r.status, "the host's service, none of its locations");
            assertServiceHeaders(r, "GET /nowhere?q=1");
            assertEquals("https://app.example", r.header("access-control-allow-origin"));
            assertEquals("application/json", r.header("content-type"));
            assertEquals(Integer.toString(r.body.length()), r.header("content-length"), "framing untouched");

            raw.send("DELETE /refused/x HTTP/1.1\r\nHost: a.test\r\nOrigin: https://app.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(502, r.status);
            assertServiceHeaders(r, "DELETE /refused/x");
            assertEquals("https://app.example", r.header("access-control-allow-origin"),
                    "a browser may read the error of a cross-origin request");
            assertEquals("Origin", r.header("vary"));

            raw.send("GET /dead/x HTTP/1.1\r\nHost: a.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(503, r.status);
            assertServiceHeaders(r, "GET /dead/x");

            raw.send("GET /go?k=v HTTP/1.1\r\nHost: a.test\r\nOrigin: https://app.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(301, r.status);
            assertEquals("http://a.test/went", r.header("location"));
            assertServiceHeaders(r, "GET /go?k=v");
            assertEquals("https://app.example", r.header("access-control-allow-origin"),
                    "a CORS fetch checks a redirect's Access-Control-Allow-Origin before following it");

            raw.send("GET /go HTTP/1.1\r\nHost: a.test\r\nOrigin: https://evil.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(301, r.status);
            assertNull(r.header("access-control-allow-origin"), "an origin not allowed is never echoed");
            assertEquals("Origin", r.header("vary"));

            raw.send("OPTIONS /api/x HTTP/1.1\r\nHost: a.test\r\nOrigin: https://app.example\r\n"
                    + "Access-Control-Request-Method: PUT\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(204, r.status);
            assertEquals("https://app.example", r.header("access-control-allow-origin"));
            assertServiceHeaders(r, "OPTIONS /api/x");

            raw.send("GET /x HTTP/1.1\r\nHost: r.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(301, r.status);
            assertEquals("https://r.test/x", r.header("location"));
            assertServiceHeaders(r, "GET /x");

            raw.send("GET /1 HTTP/1.1\r\nHost: limited.test\r\n\r\n");
            assertEquals(200, raw.readResponse(false).status);
            raw.send("GET /2 HTTP/1.1\r\nHost: limited.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(429, r.status);
            assertTrue(Integer.parseInt(r.header("retry-after")) > 0);
            assertServiceHeaders(r, "GET /2");

            raw.send("GET /x HTTP/1.1\r\nHost: unknown.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(404, r.status, "no service takes this host");
            assertNull(r.header("x-frame-options"), "no service, no service rules");
            assertNull(r.header("x-served"));
            assertEquals("no-store", r.header("cache-control"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void generatedResponsesOverHttpsCarryHstsOnHttp2AndHttp11(TransportKind kind) throws Exception {
        final int refused = ProxyFixture.freePort();
        final String yaml = "services:\n  - name: a\n    port: {port}\n"
                + "    tls:\n      enabled: true\n      cert_file: " + cert.certFile() + "\n      key_file: "
                + cert.keyFile() + "\n"
                + "    middleware:\n      - security: {hsts: true, hsts_max_age: 600, frame_options: DENY}\n"
                + HEADERS + locations(refused);
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml)) {
            final String base = "https://127.0.0.1:" + proxy.port();
            for (HttpClient.Version version : HttpClient.Version.values()) {
                final HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).version(version)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                for (String path : new String[] {"/nowhere", "/refused/x", "/go"}) {
                    final HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                    final String what = version + " " + path + " " + r.statusCode() + " " + r.headers().map();
                    assertEquals(version, r.version(), what);
                    assertEquals(path.equals("/nowhere") ? 404 : path.equals("/go") ? 301 : 502, r.statusCode(),
                            what);
                    assertEquals("max-age=600", r.headers().firstValue("strict-transport-security").orElse(null),
                            what);
                    assertEquals("DENY", r.headers().firstValue("x-frame-options").orElse(null), what);
                    assertEquals("GET " + path, r.headers().firstValue("x-served").orElse(null), what);
                    assertTrue(r.headers().firstValue("cache-control").isEmpty(), what);
                }
            }
        }
    }
}
