package dev.fulcrum.transport.routing;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestCertificates;
import dev.fulcrum.transport.testing.TestOrigin;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 towards backends that are configured for it ({@code protocol: h2c} and {@code h2}), against a real Netty
 * HTTP/2 origin: HTTP/1.1 clients' requests become streams multiplexed on one connection per backend and event loop,
 * bodies stream both ways, and an h2 backend that does not negotiate h2 by ALPN is refused with 502.
 */
@Timeout(90)
class BackendHttp2Test {
    private static TestCertificates ca;
    private static TestCertificates.Issued originCert;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.create();
        originCert = ca.issue("origin", "origin.test");
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        ca.delete();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void h2cRequestsShareOneConnectionPerLoopAndBodiesStreamBothWays(TransportKind kind) throws Exception {
        try (TestOrigin origin = new TestOrigin("h2c", null, true);
             ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nbackends:\n  - url: " + origin.url()
                     + "\n    protocol: h2c\n")) {
            assertConcurrentRequestsMultiplexed(proxy, origin, "h2c");
            assertEquals("127.0.0.1:" + proxy.port(), origin.lastSeen().header("host"), "Host went as :authority");

            final byte[] upload = new byte[2 << 20];
            for (int i = 0; i < upload.length; i++) {
                upload[i] = (byte) (i * 13);
            }
            final CRC32 crc = new CRC32();
            crc.update(upload);
            final HttpResponse<String> up = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(upload.length + " " + crc.getValue(), up.body(), "request body streamed as DATA frames");

            final HttpResponse<byte[]> big = proxy.client().send(HttpRequest.newBuilder(
                    proxy.uri("/size/3000000?chunked=1")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, big.statusCode());
            assertEquals(3_000_000, big.body().length);
            for (int i = 0; i < big.body().length; i += 99_991) {
                assertEquals(TestOrigin.patternByte(i), big.body()[i]);
            }
            assertFalse(big.headers().firstValue("x-http2-stream-id").isPresent(), "no Netty bookkeeping headers");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void h2OverTlsNegotiatedByAlpn(TransportKind kind) throws Exception {
        final SslContext serverTls = SslContextBuilder.forServer(originCert.certFile().toFile(),
                originCert.keyFile().toFile()).applicationProtocolConfig(new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        try (TestOrigin origin = new TestOrigin("h2", serverTls, true);
             ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nbackends:\n  - url: " + origin.url()
                     + "\n    protocol: h2\n    sni: origin.test\n    ca_file: " + ca.caPem() + "\n")) {
            assertConcurrentRequestsMultiplexed(proxy, origin, "h2");
            assertTrue(origin.sniNames().stream().allMatch("origin.test"::equals), origin.sniNames().toString());
        }
    }

    @Test
    void anH2BackendThatOnlySpeaksHttp11IsRefused() throws Exception {
        final SslContext serverTls = SslContextBuilder.forServer(originCert.certFile().toFile(),
                originCert.keyFile().toFile()).build();
        try (TestOrigin origin = new TestOrigin("h1", serverTls);
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, "port: {port}\nbackends:\n  - url: "
                     + origin.url() + "\n    protocol: h2\n    sni: origin.test\n    ca_file: " + ca.caPem() + "\n")) {
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("upstream TLS handshake failed"), r.body());
            assertTrue(origin.seen().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anHttpsBackendChoosesH2ByAlpnUnlessHttp2IsFalse(TransportKind kind) throws Exception {
        try (TestOrigin origin = new TestOrigin("dual", dualTls(), true)) {
            final String backend = "port: {port}\nbackends:\n  - url: " + origin.url()
                    + "\n    sni: origin.test\n    ca_file: " + ca.caPem() + "\n";
            try (ProxyFixture proxy = ProxyFixture.start(kind, backend)) {
                assertConcurrentRequestsMultiplexed(proxy, origin, "dual");
                assertEquals(origin.connections(), origin.http2Connections(), "every connection chose h2");

                // An Upgrade request needs HTTP/1.1 (HTTP/2 has no Upgrade): it gets its own connection, offering
                // http/1.1 only, and the Upgrade header reaches the backend.
                try (RawHttp raw = new RawHttp(proxy.port())) {
                    raw.send("GET /plain HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: fulcrum-test\r\n\r\n");
                    assertEquals(200, raw.readResponse(false).status);
                }
                assertEquals(List.of("fulcrum-test"), origin.lastSeen().headers().get("upgrade"));
                assertEquals(origin.connections() - 1, origin.http2Connections(), "the upgrade went over HTTP/1.1");
            }
            origin.clearSeen();
            final int http2Before = origin.http2Connections();
            try (ProxyFixture proxy = ProxyFixture.start(kind, backend + "    http2: false\n")) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("dual GET /plain?i=" + i, proxy.get("/plain?i=" + i).body());
                }
                assertEquals(http2Before, origin.http2Connections(), "http2: false offers http/1.1 only");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aStreamResetOrGoawayByTheBackendIsHandledPerStream(TransportKind kind) throws Exception {
        try (TestOrigin origin = new TestOrigin("h2c", null, true);
             ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nretries: 0\nbackends:\n  - url: "
                     + origin.url() + "\n    protocol: h2c\n")) {
            // One client connection is served by one event loop, which has one HTTP/2 connection to the backend.
            try (RawHttp raw = new RawHttp(proxy.port())) {
                final int first = exchange(raw, origin, "/plain", 200);
                // RST_STREAM before any response: this exchange gets a 502; the connection goes on.
                raw.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
                final RawHttp.Response reset = raw.readResponse(false);
                assertEquals(502, reset.status, reset.head);
                assertEquals(first, exchange(raw, origin, "/plain", 200), "a reset stream does not cost the connection");
                // GOAWAY: the stream in flight completes; the next exchange opens a new connection.
                assertEquals(first, exchange(raw, origin, "/goaway", 200));
                final int second = exchange(raw, origin, "/plain", 200);
                assertTrue(second != first, "a new connection after GOAWAY");
                assertEquals(second, exchange(raw, origin, "/plain", 200));
            }
        }
    }

    @Test
    void healthProbesOfHttp2OnlyBackendsSpeakHttp2() throws Exception {
        final String health = "health_check: {type: http, path: /health, interval: 100ms, timeout: 1s,"
                + " jitter_percent: 0, thresholds: {healthy: 1, unhealthy: 1}}\n";
        try (TestOrigin h2c = new TestOrigin("h2c", null, true);
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, health + "port: {port}\nbackends:\n  - url: "
                     + h2c.url() + "\n    protocol: h2c\n")) {
            proxy.awaitStatus(200);
            assertTrue(h2c.seen().stream().anyMatch(s -> s.uri().equals("/health")), "the h2c probe was answered");
        }
        try (TestOrigin h2 = new TestOrigin("h2", dualTls(), true);
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, health + "port: {port}\nbackends:\n  - url: "
                     + h2.url() + "\n    protocol: h2\n    sni: origin.test\n    ca_file: " + ca.caPem() + "\n")) {
            proxy.awaitStatus(200);
            assertTrue(h2.seen().stream().anyMatch(s -> s.uri().equals("/health")), "the h2 probe was answered");
            assertEquals(h2.connections(), h2.http2Connections(), "probes and requests chose h2");
        }
        // A backend that answers HTTP/1.1 only fails an h2 probe: it could not serve the proxy's streams either.
        try (TestOrigin h1 = new TestOrigin("h1", null);
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, health + "port: {port}\nbackends:\n  - url: "
                     + h1.url() + "\n    protocol: h2c\n")) {
            Thread.sleep(500); // several probe rounds
            assertEquals(503, proxy.get("/x").statusCode());
        }
    }

    /** Sends {@code GET path} on {@code raw}, checks the status, and returns the origin connection that served it. */
    private static int exchange(RawHttp raw, TestOrigin origin, String path, int status) throws Exception {
        raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        final RawHttp.Response response = raw.readResponse(false);
        assertEquals(status, response.status, response.head);
        final TestOrigin.Seen seen = origin.lastSeen();
        assertEquals(path, seen.uri());
        return seen.connection();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aBackendsStreamLimitOpensMoreConnectionsThatCloseWhenDrained(TransportKind kind) throws Exception {
        try (TestOrigin origin = new TestOrigin("h2c", null, true).maxConcurrentStreams(4);
             ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nbackends:\n  - url: " + origin.url()
                     + "\n    protocol: h2c\n")) {
            assertEquals(200, proxy.get("/plain").statusCode()); // the backend's SETTINGS are known from here on
            final List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                futures.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/slow/300?i=" + i))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                final HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
            }
            // Streams past the limit wait in the encoder of a connection whose SETTINGS were not known yet, so the
            // count depends on timing; the loop that knew the limit must have opened a second connection.
            assertTrue(origin.connections() >= 2, "24 concurrent streams at 4 per connection need several connections: "
                    + origin.connections());
            // Full connections retire: once their streams end they close, leaving at most one per event loop.
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (origin.openConnections() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(origin.openConnections() <= 2, "open after draining: " + origin.openConnections());
            assertEquals("h2c GET /plain", proxy.get("/plain").body());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aRequestLostWithAReusedOrSharedConnectionIsTriedOnceMoreOnAFreshOne(TransportKind kind) throws Exception {
        for (String protocol : List.of("http/1.1", "h2c")) {
            try (TestOrigin origin = new TestOrigin(protocol, null, protocol.equals("h2c"));
                 ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nretries: 0\nbackends:\n  - url: "
                         + origin.url() + "\n    protocol: " + protocol + "\n")) {
                try (RawHttp raw = new RawHttp(proxy.port())) {
                    exchange(raw, origin, "/plain", 200); // the next request goes on a reused or shared connection
                    exchange(raw, origin, "/drop-connection-once?get", 200);
                    assertEquals(2, origin.seen().stream().filter(s -> s.uri().equals("/drop-connection-once?get"))
                            .count(), protocol + ": lost once, answered on a fresh connection");
                    exchange(raw, origin, "/plain", 200);
                    // Not for a method that may not be repeated: the backend may have acted on it before closing.
                    raw.send("POST /drop-connection-once?post HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
                    assertEquals(502, raw.readResponse(false).status, protocol);
                }
            }
        }
    }

    @Test
    void anHttp2ConnectionWithoutStreamsClosesAfterTheIdleTimeout() throws Exception {
        try (TestOrigin origin = new TestOrigin("h2c", null, true);
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, "port: {port}\n"
                     + "connection_pool: {idle_timeout: 300ms}\nbackends:\n  - url: " + origin.url()
                     + "\n    protocol: h2c\n")) {
            assertEquals("h2c GET /plain", proxy.get("/plain").body());
            assertEquals(1, origin.openConnections());
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (origin.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, origin.openConnections(), "closed once idle for idle_timeout");
            assertEquals("h2c GET /again", proxy.get("/again").body());
            assertEquals(2, origin.connections(), "a new connection for the next request");
        }
    }

    @Test
    void anH2cBackendThatNeverSendsSettingsFailsLikeAConnectTimeout() throws Exception {
        // Accepts connections (the kernel does, from the backlog) and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, "port: {port}\nretries: 0\n"
                     + "timeouts: {connect: 300ms}\nbackends:\n  - url: http://127.0.0.1:" + silent.getLocalPort()
                     + "\n    protocol: h2c\n")) {
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(502, r.statusCode(), r.body());
            assertTrue(r.body().contains("upstream connect failed"), r.body());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aClientThatPausesReadingStallsTheStreamNotTheConnection(TransportKind kind) throws Exception {
        try (TestOrigin origin = new TestOrigin("h2c", null, true);
             ProxyFixture proxy = ProxyFixture.start(kind, "port: {port}\nbackends:\n  - url: " + origin.url()
                     + "\n    protocol: h2c\n")) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("GET /size/4000000 HTTP/1.1\r\nHost: x\r\n\r\n");
                // Not reading: the proxy stops reading the stream, and the backend's stream window runs out.
                Thread.sleep(500);
                // Meanwhile the other streams of the connection(s) flow.
                for (int i = 0; i < 4; i++) {
                    assertEquals("h2c GET /plain", proxy.get("/plain").body());
                }
                final InputStream in = raw.socket().getInputStream();
                final byte[] head = readHead(in);
                assertTrue(new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
                long total = 0;
                final byte[] buf = new byte[65536];
                for (int n; total < 4_000_000 && (n = in.read(buf)) > 0; ) {
                    total += n;
                }
                assertEquals(4_000_000, total, "the whole body arrived after the pause");
            }
            assertTrue(origin.bytesSent() >= 4_000_000);
        }
    }

    private static byte[] readHead(InputStream in) throws java.io.IOException {
        final java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed in the response head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    /** A server context offering h2 and http/1.1 by ALPN, preferring h2, like a typical HTTPS origin. */
    private static SslContext dualTls() throws Exception {
        return SslContextBuilder.forServer(originCert.certFile().toFile(), originCert.keyFile().toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)).build();
    }

    /** 40 concurrent HTTP/1.1 requests (several client connections) reach the origin on at most one connection per loop. */
    private static void assertConcurrentRequestsMultiplexed(ProxyFixture proxy, TestOrigin origin, String name)
            throws Exception {
        final List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/slow/200?i=" + i))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            final HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(name + " slow", r.body());
        }
        final HttpResponse<String> r = proxy.get("/plain?q=1");
        assertEquals(name + " GET /plain?q=1", r.body());
        assertEquals(41, origin.seen().size());
        assertTrue(origin.connections() <= 2, "one HTTP/2 connection per event loop (2 loops): "
                + origin.connections());
    }
}
