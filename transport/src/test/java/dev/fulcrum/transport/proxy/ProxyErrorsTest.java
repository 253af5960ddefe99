package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses Fulcrum generates itself (the seed's ProxyError), retries and the in-flight cap. */
@Timeout(60)
class ProxyErrorsTest {
    private static final Pattern JSON_ERROR =
            Pattern.compile("\\{\"status\":(\\d{3}),\"error\":\"[^\"]+\",\"request_id\":\"[^\"]+\"}\\n");

    private TestOrigin o1;
    private TestOrigin o2;

    @BeforeEach
    void startOrigins() throws Exception {
        o1 = new TestOrigin("o1");
        o2 = new TestOrigin("o2");
    }

    @AfterEach
    void stopOrigins() {
        o1.close();
        o2.close();
    }

    private static void assertJsonError(int status, RawHttp.Response response) {
        assertEquals(status, response.status);
        assertEquals("application/json", response.header("content-type"));
        assertTrue(JSON_ERROR.matcher(response.body).matches(), response.body);
        assertTrue(response.body.startsWith("{\"status\":" + status + ","), response.body);
        assertFalse(response.body.contains("Exception"), response.body);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers404WhenNoLocationMatches(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, "services:\n  - name: app\n    port: {port}\n"
                + "    locations:\n      - path: /api/\n        backends:\n          - url: " + o1.url() + "\n");
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /other HTTP/1.1\r\nHost: a\r\nX-Request-Id: req-42\r\n\r\n");
            final RawHttp.Response response = raw.readResponse(false);
            assertJsonError(404, response);
            assertTrue(response.body.contains("\"request_id\":\"req-42\""));
            // Still usable: no body was pending.
            raw.send("GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("o1 GET /x", raw.readResponse(false).body);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers503WhenEveryBackendIsDead(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", o1.url(), o2.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            for (ServerPool pool : proxy.server().context().routing().allPools()) {
                for (BackendState state : pool.snapshot().states()) {
                    state.setAliveRelease(false);
                }
            }
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertJsonError(503, raw.readResponse(false));
            assertEquals(0, o1.seen().size() + o2.seen().size());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void retriesARefusedBackendOnAnotherOne(TransportKind kind) throws Exception {
        final int refused = ProxyFixture.freePort();
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", "http://127.0.0.1:" + refused, o1.url())) {
            for (int i = 0; i < 6; i++) {
                final HttpResponse<String> response = proxy.get("/r" + i);
                assertEquals(200, response.statusCode());
                assertEquals("o1 GET /r" + i, response.body());
            }
            final BackendState dead = proxy.server().context().routing().allPools().get(0)
                    .backendByUrl("http://127.0.0.1:" + refused);
            assertTrue(dead.failuresOpaque() >= 3, "connect failures were not charged to the refused backend");
        }
    }

    /** Deterministic selectors name the refused backend again on the retry; the retry must still go elsewhere. */
    @ParameterizedTest
    @ValueSource(strings = {"least-connections", "consistent-hash", "maglev", "ip-hash", "bounded-load"})
    void retriesElsewhereWhenTheAlgorithmKeepsNamingTheRefusedBackend(String algorithm) throws Exception {
        final int refused = ProxyFixture.freePort();
        try (ProxyFixture proxy = ProxyFixture.over(TransportKind.NIO, "algorithm: " + algorithm + "\n",
                "http://127.0.0.1:" + refused, o1.url())) {
            for (int i = 0; i < 8; i++) {
                final HttpResponse<String> response = proxy.get("/d" + i);
                assertEquals(200, response.statusCode(), algorithm + " request " + i + ": " + response.body());
                assertEquals("o1 GET /d" + i, response.body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers502WhenEveryTryFails(TransportKind kind) throws Exception {
        final int refused1 = ProxyFixture.freePort();
        final int refused2 = ProxyFixture.freePort();
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", "http://127.0.0.1:" + refused1,
                "http://127.0.0.1:" + refused2);
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertJsonError(502, raw.readResponse(false));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void replaysARequestWithoutBodyButNeverASentPost(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", o1.url(), o2.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            // GET without a body: both backends close without answering; each is tried once, then 502.
            raw.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
            assertJsonError(502, raw.readResponse(false));
            assertEquals(1, o1.seen().size());
            assertEquals(1, o2.seen().size());
        }
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", o1.url(), o2.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /close HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody");
            assertJsonError(502, raw.readResponse(false));
            final long posts = o1.seen().stream().filter(s -> s.method().equals("POST")).count()
                    + o2.seen().stream().filter(s -> s.method().equals("POST")).count();
            assertEquals(1, posts, "a POST whose body was sent must not be replayed");
        }
    }

    /** terraster section 21 case 50: once bytes went to the client there is no retry; the client sees the abort. */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aBackendResetInTheMiddleOfABodyAbortsTheClientResponseWithoutRetry(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", o1.url(), o2.url())) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("GET /truncate/200000 HTTP/1.1\r\nHost: a\r\n\r\n");
                final RawHttp.Response r = raw.readResponse(false);
                assertEquals(200, r.status, "the head was already relayed");
                assertEquals("200000", r.header("content-length"));
                assertTrue(r.body.length() < 200_000, "a short body, not a made-up complete one: " + r.body.length());
                assertTrue(raw.closedByPeer(), "the client connection is closed, not left waiting for the rest");
            }
            assertEquals(1, o1.seen().size() + o2.seen().size(), "bytes were sent: no retry");
            for (int i = 0; i < 4; i++) {
                final HttpResponse<String> after = proxy.get("/after" + i);
                assertEquals(200, after.statusCode(), "the proxy and its pools go on serving");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers504WhenTheBackendDoesNotAnswerInTime(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "timeouts:\n  response: 300ms\n", o1.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            final long start = System.nanoTime();
            raw.send("GET /hang HTTP/1.1\r\nHost: a\r\n\r\n");
            assertJsonError(504, raw.readResponse(false));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250 && millis < 5_000, "answered after " + millis + " ms");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers400AndClosesOnAMalformedRequest(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", o1.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n");
            assertJsonError(400, raw.readResponse(false));
            assertTrue(raw.closedByPeer());
            assertEquals(0, o1.seen().size());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers431414And413ForOversizedParts(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind,
                "limits:\n  max_header_bytes: 2048\n  max_uri_bytes: 1024\n  max_body_bytes: 100\n", o1.url())) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(4096) + "\r\n\r\n");
                assertJsonError(431, raw.readResponse(false));
                assertTrue(raw.closedByPeer());
            }
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("GET /" + "u".repeat(2048) + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertJsonError(414, raw.readResponse(false));
            }
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n");
                assertJsonError(413, raw.readResponse(false));
            }
            try (RawHttp raw = new RawHttp(proxy.port())) {
                // Chunked bodies have no length up front: the limit applies as bytes arrive.
                raw.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "x".repeat(64) + "\r\n0\r\n\r\n");
                assertJsonError(413, raw.readResponse(false));
            }
            assertEquals(0, o1.seen().stream().filter(s -> s.method().equals("POST")).count()
                    - o1.seen().stream().filter(s -> s.uri().equals("/upload")).count());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void capsConcurrentRequestsPerBackendAt503(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nbackends:\n  - url: " + o1.url()
                + "\n    max_connections: 1\n")) {
            final CompletableFuture<HttpResponse<String>> slow = proxy.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/slow/1000")).build(), HttpResponse.BodyHandlers.ofString());
            while (o1.seen().isEmpty()) {
                Thread.sleep(10);
            }
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
                assertJsonError(503, raw.readResponse(false));
            }
            assertEquals(200, slow.get().statusCode());
            assertEquals(200, proxy.get("/after").statusCode());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void closesAClientThatSendsItsHeaderTooSlowly(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "timeouts:\n  request_header: 300ms\n", o1.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\n");
            final RawHttp.Response response = raw.readResponse(false);
            assertJsonError(408, response);
            assertTrue(raw.closedByPeer());
        }
    }
}
