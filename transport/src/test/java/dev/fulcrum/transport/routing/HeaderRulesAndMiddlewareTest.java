package dev.fulcrum.transport.routing;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Custom request/response headers with placeholders, and the security and CORS middleware with global defaults and
 * field-by-field service overrides, through the proxy to a real origin.
 */
@Timeout(60)
class HeaderRulesAndMiddlewareTest {
    private TestOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void customHeadersRemoveFirstThenSetWithPlaceholdersFromTheRequestAsSent(TransportKind kind) throws Exception {
        final String yaml = "services:\n  - host: app.test\n    port: {port}\n"
                + "    headers:\n"
                + "      request_headers:\n"
                + "        X-Req: \"m=${method} h=${host} u=${uri}\"\n"
                + "        X-Client: \"${remote_addr}\"\n"
                + "        User-Agent: fulcrum-test\n"
                + "      remove_request_headers: [User-Agent, X-Secret]\n"
                + "      response_headers:\n"
                + "        Cache-Control: no-cache\n"
                + "        X-Served-For: \"${method} ${uri}\"\n"
                + "      remove_response_headers: [Content-Type]\n"
                + "    locations:\n"
                + "      - path: /api/\n        rewrite: /v1/\n        backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            final String host = "app.test:" + proxy.port();
            raw.send("GET /api/x?y=1 HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: curl\r\nX-Secret: s\r\n\r\n");
            final RawHttp.Response r = raw.readResponse(false);
            assertEquals("o GET /v1/x?y=1", r.body);
            final TestOrigin.Seen seen = origin.lastSeen();
            assertEquals("m=GET h=" + host + " u=/api/x?y=1", seen.header("x-req"), "${uri} is the target before rewrite");
            assertEquals("fulcrum-test", seen.header("user-agent"), "removed, then set: the set wins");
            assertNull(seen.header("x-secret"));
            final String client = seen.header("x-client");
            assertEquals("127.0.0.1:" + raw.socket().getLocalPort(), client, "${remote_addr} is ip:port");
            assertEquals("no-cache", r.header("cache-control"));
            assertEquals("GET /api/x?y=1", r.header("x-served-for"));
            assertNull(r.header("content-type"), "backend's Content-Type removed");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void securityHeadersReplaceTheBackendsAndHstsIsNeverSentOverPlainHttp(TransportKind kind) throws Exception {
        final String yaml = "middleware:\n"
                + "  - security:\n      hsts: true\n      hsts_include_subdomains: true\n"
                + "      frame_options: DENY\n      content_type_options: true\n      xss_protection: true\n"
                + "services:\n"
                + "  - host: a.test\n    port: {port}\n    locations:\n"
                + "      - backends:\n          - url: " + origin.url() + "\n"
                + "  - host: b.test\n    port: {port}\n"
                + "    middleware:\n      - security:\n          frame_options: SAMEORIGIN\n"
                + "    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n");
            RawHttp.Response r = raw.readResponse(false);
            assertEquals("DENY", r.header("x-frame-options"));
            assertEquals("nosniff", r.header("x-content-type-options"));
            assertEquals("1; mode=block", r.header("x-xss-protection"));
            assertNull(r.header("strict-transport-security"), "HSTS only over HTTPS (RFC 6797 7.2)");
            assertEquals(1, count(r.head, "x-frame-options"));

            raw.send("GET /x HTTP/1.1\r\nHost: b.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals("SAMEORIGIN", r.header("x-frame-options"), "service overrides this field");
            assertEquals("nosniff", r.header("x-content-type-options"), "and keeps the global others");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void corsEchoesAMatchingOriginAnswersOnlyRealPreflightsAndVariesByOrigin(TransportKind kind) throws Exception {
        final String yaml = "middleware:\n"
                + "  - cors:\n      allowed_origins: [\"https://app.example\", \"https://admin.example\"]\n"
                + "      allowed_methods: [get, POST, DELETE]\n      max_age: 600\n"
                + "      exposed_headers: [X-Total]\n"
                + "services:\n"
                + "  - host: a.test\n    port: {port}\n    locations:\n"
                + "      - backends:\n          - url: " + origin.url() + "\n"
                + "  - host: c.test\n    port: {port}\n"
                + "    middleware:\n      - cors:\n          allow_credentials: true\n"
                + "    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("OPTIONS /items HTTP/1.1\r\nHost: a.test\r\nOrigin: https://admin.example\r\n"
                    + "Access-Control-Request-Method: DELETE\r\nAccess-Control-Request-Headers: x-token\r\n\r\n");
            RawHttp.Response r = raw.readResponse(false);
            assertEquals(204, r.status);
            assertEquals("https://admin.example", r.header("access-control-allow-origin"), "one origin, echoed");
            assertEquals("GET, POST, DELETE", r.header("access-control-allow-methods"));
            assertEquals("x-token", r.header("access-control-allow-headers"));
            assertEquals("600", r.header("access-control-max-age"));
            assertEquals("Origin", r.header("vary"));
            assertNull(r.header("access-control-allow-credentials"));

            raw.send("OPTIONS /items HTTP/1.1\r\nHost: a.test\r\nOrigin: https://evil.example\r\n"
                    + "Access-Control-Request-Method: DELETE\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals(403, r.status);
            assertNull(r.header("access-control-allow-origin"));

            raw.send("OPTIONS /items HTTP/1.1\r\nHost: a.test\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals("o OPTIONS /items", r.body, "an OPTIONS that is no preflight goes to the backend");
            assertEquals(1, origin.seen().size());

            raw.send("GET /items HTTP/1.1\r\nHost: a.test\r\nOrigin: https://APP.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals("https://APP.example", r.header("access-control-allow-origin"));
            assertEquals("X-Total", r.header("access-control-expose-headers"));
            assertEquals("Origin", r.header("vary"));

            raw.send("GET /items HTTP/1.1\r\nHost: a.test\r\nOrigin: https://evil.example\r\n\r\n");
            r = raw.readResponse(false);
            assertNull(r.header("access-control-allow-origin"));
            assertEquals("Origin", r.header("vary"), "the answer still depends on Origin");

            raw.send("GET /items HTTP/1.1\r\nHost: c.test\r\nOrigin: https://app.example\r\n\r\n");
            r = raw.readResponse(false);
            assertEquals("https://app.example", r.header("access-control-allow-origin"));
            assertEquals("true", r.header("access-control-allow-credentials"), "service override of one field");
            assertEquals("X-Total", r.header("access-control-expose-headers"), "global fields kept");
        }
    }

    private static int count(String head, String name) {
        int n = 0;
        for (String line : head.split("\n")) {
            if (line.toLowerCase().startsWith(name + ":")) {
                n++;
            }
        }
        return n;
    }
}
