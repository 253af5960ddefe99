package dev.fulcrum.transport.proxy;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP/1.1 relay end to end: real origin, real clients, every transport. */
@Timeout(120)
class ForwardingTest {
    private TestOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o1");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void reusesOneUpstreamConnectionForSequentialKeepAliveRequests(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            for (int i = 0; i < 20; i++) {
                final HttpResponse<String> response = proxy.get("/hello/" + i);
                assertEquals(200, response.statusCode());
                assertEquals("o1 GET /hello/" + i, response.body());
            }
            assertEquals(20, origin.seen().size());
            assertEquals(1, origin.connections(), "the origin saw a new connection per request");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void streamsLargeResponsesByteForByte(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            for (long size : new long[] {1L << 20, 100L << 20}) {
                for (String framing : new String[] {"", "?chunked=1"}) {
                    final HttpResponse<InputStream> response = proxy.client().send(
                            HttpRequest.newBuilder(proxy.uri("/size/" + size + framing)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    assertEquals(200, response.statusCode());
                    final CRC32 crc = new CRC32();
                    long received = 0;
                    try (InputStream in = response.body()) {
                        final byte[] buf = new byte[65536];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            crc.update(buf, 0, n);
                            received += n;
                        }
                    }
                    assertEquals(size, received, "bytes received for " + size + framing);
                    assertEquals(patternCrc(size), crc.getValue(), "checksum for " + size + framing);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void streamsLargeUploadsWithLengthAndChunked(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            for (long size : new long[] {1L << 20, 100L << 20}) {
                final HttpResponse<String> withLength = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)), size))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, withLength.statusCode());
                assertEquals(size + " " + patternCrc(size), withLength.body());

                final HttpResponse<String> chunked = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, chunked.statusCode());
                assertEquals(size + " " + patternCrc(size), chunked.body());
                assertEquals("chunked", origin.lastSeen().header("transfer-encoding"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answersPipelinedRequestsInOrder(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /slow/200 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /fourth HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("o1 slow", raw.readResponse(false).body);
            assertEquals("o1 GET /second", raw.readResponse(false).body);
            final CRC32 crc = new CRC32();
            crc.update("hello".getBytes());
            assertEquals("5 " + crc.getValue(), raw.readResponse(false).body);
            assertEquals("o1 GET /fourth", raw.readResponse(false).body);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void sendsNoBodyForHead204And304(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("HEAD /size/1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response head = raw.readResponse(true);
            assertEquals(200, head.status);
            assertEquals("1000", head.header("content-length"));
            raw.send("GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response noContent = raw.readResponse(false);
            assertEquals(204, noContent.status);
            assertNull(noContent.header("transfer-encoding"));
            raw.send("GET /status/304 HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response notModified = raw.readResponse(false);
            assertEquals(304, notModified.status);
            assertEquals("\"v1\"", notModified.header("etag"));
            // If any of those had leaked a body, this response would be parsed out of step.
            raw.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("o1 GET /after", raw.readResponse(false).body);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answersExpectContinueThenForwardsTheBody(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, raw.readResponse(false).status);
            raw.send("abc");
            final CRC32 crc = new CRC32();
            crc.update("abc".getBytes());
            assertEquals("3 " + crc.getValue(), raw.readResponse(false).body);
            assertNull(origin.lastSeen().header("expect"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void removesHopByHopHeadersAndAddsForwardingHeaders(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /plain HTTP/1.1\r\nHost: app.test:8080\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: s\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n"
                    + "Trailer: X-T\r\nUpgrade: h2c\r\nX-Forwarded-For: 10.1.2.3\r\nX-Kept: yes\r\n\r\n");
            assertEquals(200, raw.readResponse(false).status);
            final TestOrigin.Seen seen = origin.lastSeen();
            for (String hop : new String[] {"connection", "x-secret", "keep-alive", "proxy-connection", "te",
                    "trailer", "upgrade"}) {
                assertNull(seen.header(hop), hop + " reached the origin");
            }
            assertEquals("yes", seen.header("x-kept"));
            assertEquals("10.1.2.3, 127.0.0.1", seen.header("x-forwarded-for"));
            assertEquals("app.test:8080", seen.header("x-forwarded-host"));
            assertEquals("http", seen.header("x-forwarded-proto"));
            assertEquals("127.0.0.1", seen.header("x-real-ip"));
            assertEquals("app.test:8080", seen.header("host"));

            raw.send("GET /headers HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response response = raw.readResponse(false);
            assertNull(response.header("server"));
            assertNull(response.header("x-powered-by"));
            assertNull(response.header("x-hop"));
            assertNull(response.header("keep-alive"));
            assertEquals("fulcrum", response.header("x-proxy-by"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void servesHttp10ClientsAndClosesAfterTheResponse(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /size/100?chunked=1 HTTP/1.0\r\n\r\n");
            final RawHttp.Response response = raw.readResponse(false);
            assertEquals(200, response.status);
            assertEquals(100, response.body.length());
            assertNull(response.header("transfer-encoding"));
            assertTrue(raw.closedByPeer());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void keepsMemoryBoundedWhenTheClientReadsSlowly(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.socket().setReceiveBufferSize(64 * 1024);
            raw.send("GET /size/" + (1L << 30) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            // The response is 1 GiB; a proxy without backpressure would pull all of it from the origin.
            Thread.sleep(1_500);
            final long stalledAt = origin.bytesSent();
            assertTrue(stalledAt < 64L << 20, "pulled " + stalledAt + " bytes for a client that reads nothing");
            // Now read a little: the stream resumes.
            final byte[] buf = new byte[1 << 20];
            int total = 0;
            final InputStream in = raw.socket().getInputStream();
            while (total < 32 << 20) {
                final int n = in.read(buf);
                assertFalse(n < 0);
                total += n;
            }
            assertTrue(origin.bytesSent() > stalledAt, "the origin did not resume after the client read");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void keepsMemoryBoundedWhenTheOriginReadsSlowly(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /stall HTTP/1.1\r\nHost: a\r\nContent-Length: " + (1L << 30) + "\r\n\r\n");
            final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            final Thread writer = new Thread(() -> {
                final byte[] chunk = new byte[64 * 1024];
                try {
                    while (written.get() < (1L << 30)) {
                        raw.socket().getOutputStream().write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException closed) {
                    // the test closes the socket when done
                }
            }, "slow-origin-upload");
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(1_500);
            final long accepted = written.get();
            assertTrue(accepted < 64L << 20, "accepted " + accepted + " bytes for an origin that reads nothing");
            raw.close();
            writer.join(5_000);
        }
    }

    static long patternCrc(long size) {
        final CRC32 crc = new CRC32();
        final byte[] buf = new byte[65536];
        long offset = 0;
        while (offset < size) {
            final int n = (int) Math.min(buf.length, size - offset);
            for (int i = 0; i < n; i++) {
                buf[i] = TestOrigin.patternByte(offset + i);
            }
            crc.update(buf, 0, n);
            offset += n;
        }
        return crc.getValue();
    }

    /** The origin's byte pattern as a stream, for uploads. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long offset;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return offset < size ? TestOrigin.patternByte(offset++) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (offset >= size) {
                return -1;
            }
            final int n = (int) Math.min(len, size - offset);
            for (int i = 0; i < n; i++) {
                b[off + i] = TestOrigin.patternByte(offset + i);
            }
            offset += n;
            return n;
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
