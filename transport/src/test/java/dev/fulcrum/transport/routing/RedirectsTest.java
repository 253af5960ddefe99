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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Location redirects (any path, every status, relative and absolute targets, query kept on request), HTTPS redirect
 * services, and backend redirects to the backend's own origin turned into the client's origin.
 */
@Timeout(60)
class RedirectsTest {
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
    void locationRedirectsFireOnAnyPathWithTheConfiguredStatusAndNeverReachTheBackend(TransportKind kind)
            throws Exception {
        final String backend = "        backends:\n          - url: " + origin.url() + "\n";
        final String yaml = "services:\n  - host: app.test\n    port: {port}\n    locations:\n"
                + "      - path: /\n" + backend
                + "      - path: /old/\n        redirect: /new/\n" + backend
                + "      - path: /moved\n        redirect: https://elsewhere.test/landing?from=fulcrum\n"
                + "        redirect_status: 308\n        redirect_keep_query: true\n" + backend
                + "      - path: /see/\n        redirect: /other\n        redirect_status: 303\n"
                + "        redirect_keep_query: true\n" + backend
                + "      - path: /tmp/\n        redirect: /t\n        redirect_status: 307\n" + backend
                + "      - path: /found/\n        redirect: /f\n        redirect_status: 302\n" + backend;
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            final String host = "app.test:" + proxy.port();
            RawHttp.Response r = get(raw, "/old/page?x=1", host);
            assertEquals(301, r.status, "default status is 301");
            assertEquals("http://" + host + "/new/", r.header("location"), "query dropped unless configured");
            assertEquals("0", r.header("content-length"));

            r = get(raw, "/moved?a=1&b=%2F", host);
            assertEquals(308, r.status);
            assertEquals("https://elsewhere.test/landing?from=fulcrum&a=1&b=%2F", r.header("location"),
                    "absolute target as written, query appended with & and kept encoded");

            r = get(raw, "/see/x?q=2", host);
            assertEquals(303, r.status);
            assertEquals("http://" + host + "/other?q=2", r.header("location"));

            assertEquals(307, get(raw, "/tmp/", host).status);
            assertEquals(302, get(raw, "/found/a", host).status);

            r = get(raw, "/still/proxied", host);
            assertEquals(200, r.status);
            assertEquals("o GET /still/proxied", r.body);
            assertEquals(1, origin.seen().size(), "only the non-redirect request reached the backend");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aRootRedirectSendsOnlySlashAwayAndProxiesEverythingElseAsTerrasterDid(TransportKind kind)
            throws Exception {
        final String yaml = "services:\n  - host: app.test\n    port: {port}\n    locations:\n"
                + "      - path: /\n        redirect: /app/\n        backends:\n          - url: " + origin.url()
                + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            final String host = "app.test:" + proxy.port();
            RawHttp.Response r = get(raw, "/?x=1", host);
            assertEquals(301, r.status);
            assertEquals("http://" + host + "/app/", r.header("location"));

            r = get(raw, "/app/", host);
            assertEquals(200, r.status, "the target itself is proxied: no loop");
            assertEquals("o GET /app/", r.body);
            r = get(raw, "/app/deep?y=2", host);
            assertEquals(200, r.status);
            assertEquals("o GET /app/deep?y=2", r.body);
            assertEquals(2, origin.seen().size());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void httpRedirectServicesSendEveryRequestToHttpsKeepingPathAndQueryAndOmittingPort443(TransportKind kind)
            throws Exception {
        final String yaml = "services:\n"
                + "  - host: app.test\n    port: {port}\n    http_redirect: true\n    redirect_port: 8443\n"
                + "  - host: std.test\n    port: {port}\n    http_redirect: true\n"
                + "  - host: '*.wild.test'\n    port: {port}\n    http_redirect: true\n"
                + "  - host: plain.test\n    port: {port}\n    locations:\n"
                + "      - backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response r = get(raw, "/p/q?x=1&y=%2F", "app.test:" + proxy.port());
            assertEquals(301, r.status);
            assertEquals("https://app.test:8443/p/q?x=1&y=%2F", r.header("location"));

            raw.send("POST /p HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\n\r\nabc");
            r = raw.readResponse(false);
            assertEquals(301, r.status);
            assertEquals("https://app.test:8443/p", r.header("location"));
        }
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response r = get(raw, "/p", "std.test:" + proxy.port());
            assertEquals("https://std.test/p", r.header("location"), ":443 omitted");
            r = get(raw, "/", "a.b.WILD.test:" + proxy.port());
            assertEquals("https://a.b.WILD.test/", r.header("location"), "wildcard service: the host the client sent");
            r = get(raw, "/x", "plain.test");
            assertEquals(200, r.status);
            assertNull(r.header("location"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void backendRedirectsToItselfGoBackToTheClientsOriginWithThePrefixAndRewriteReversed(TransportKind kind)
            throws Exception {
        final String yaml = "services:\n  - host: app.test\n    port: {port}\n    locations:\n"
                + "      - path: /api/\n        backends:\n          - url: " + origin.url() + "\n"
                + "      - path: /web\n        rewrite: /frontend/\n        backends:\n          - url: "
                + origin.url() + "\n"
                + "      - path: /\n        backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            final String host = "app.test:" + proxy.port();
            final String self = origin.url();
            RawHttp.Response r = get(raw, "/api/redirect/302?to=" + enc(self + "/login?next=%2Fx"), host);
            assertEquals(302, r.status);
            assertEquals("http://" + host + "/api/login?next=%2Fx", r.header("location"),
                    "client's scheme and Host, location prefix put back with one slash");

            r = get(raw, "/web/redirect/301?to=" + enc(self + "/frontend/home#top"), host);
            assertEquals("http://" + host + "/web/home#top", r.header("location"), "rewrite reversed");

            r = get(raw, "/web/redirect/307?to=" + enc("http://LOCALHOST.example:1/x"), host);
            assertEquals("http://LOCALHOST.example:1/x", r.header("location"), "other origins untouched");

            r = get(raw, "/api/redirect/303?to=" + enc("/relative"), host);
            assertEquals("/relative", r.header("location"), "relative Location untouched");

            r = get(raw, "/redirect/308?to=" + enc(self.replace("127.0.0.1", "127.0.0.1") + "/a?b"), host);
            assertEquals("http://" + host + "/a?b", r.header("location"));
            assertTrue(r.status == 308);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static RawHttp.Response get(RawHttp raw, String target, String host) throws Exception {
        raw.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return raw.readResponse(false);
    }
}
