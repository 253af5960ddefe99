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

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request-smuggling corpus over raw sockets: every shape is answered 400 with a JSON reason, the connection is
 * closed, and the origin never sees a request. Valid shapes that look close to the bad ones still go through.
 */
@Timeout(120)
class HostileInputTest {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: a\r\n";
    private static final String POST = "POST /upload HTTP/1.1\r\nHost: a\r\n";

    /** Name -> raw request. Each must be answered 400 and closed, with nothing forwarded. */
    static Map<String, String> corpus() {
        final Map<String, String> c = new LinkedHashMap<>();
        c.put("CL.TE", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        c.put("TE.CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
        c.put("duplicate CL same value", POST + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
        c.put("conflicting CL", POST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
        c.put("CL list", POST + "Content-Length: 3, 4\r\n\r\nabcd");
        c.put("CL plus sign", POST + "Content-Length: +3\r\n\r\nabc");
        c.put("CL negative", POST + "Content-Length: -1\r\n\r\n");
        c.put("CL hex", POST + "Content-Length: 0x3\r\n\r\nabc");
        c.put("CL empty", POST + "Content-Length: \r\n\r\n");
        c.put("CL two numbers", POST + "Content-Length: 3 4\r\n\r\nabcd");
        c.put("CL overflow", POST + "Content-Length: 99999999999999999999999\r\n\r\n");
        c.put("TE not chunked last", POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n");
        c.put("TE unknown", POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n");
        c.put("TE twice", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        c.put("TE in HTTP/1.0", "POST /upload HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        c.put("chunk size not hex", POST + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        c.put("chunk size negative", POST + "Transfer-Encoding: chunked\r\n\r\n-1\r\nabc\r\n0\r\n\r\n");
        c.put("chunk size 0x prefix", POST + "Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n");
        c.put("chunk size with space", POST + "Transfer-Encoding: chunked\r\n\r\n1 1\r\nabc\r\n0\r\n\r\n");
        c.put("chunk size empty", POST + "Transfer-Encoding: chunked\r\n\r\n\r\nabc\r\n0\r\n\r\n");
        c.put("chunk size overflow", POST + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nabc\r\n");
        c.put("chunk data too long", POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n");
        c.put("chunk size bare LF", POST + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n");
        c.put("obs-fold", GET + "X-A: one\r\n two\r\n\r\n");
        c.put("obs-fold with tab", GET + "X-A: one\r\n\ttwo\r\n\r\n");
        c.put("bare LF everywhere", "GET /x HTTP/1.1\nHost: a\n\n");
        c.put("bare LF in headers", GET + "X-A: b\nX-B: c\r\n\r\n");
        c.put("bare CR in value", GET + "X-A: b\rc\r\n\r\n");
        c.put("space before colon", GET + "X-A : b\r\n\r\n");
        c.put("empty header name", GET + ": b\r\n\r\n");
        c.put("bad char in name", GET + "X(A): b\r\n\r\n");
        c.put("NUL in value", GET + "X-A: b\u0000c\r\n\r\n");
        c.put("control char in value", GET + "X-A: b\u0001c\r\n\r\n");
        c.put("DEL in value", GET + "X-A: b\u007fc\r\n\r\n");
        c.put("two Host headers", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        c.put("invalid Host", "GET /x HTTP/1.1\r\nHost: a b/c\r\n\r\n");
        c.put("userinfo in Host", "GET /x HTTP/1.1\r\nHost: user@a\r\n\r\n");
        c.put("absolute-form", "GET http://evil.example/x HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("authority-form", "CONNECT evil.example:443 HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("target without slash", "GET x HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("fragment in target", "GET /x#frag HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("non-ASCII target", "GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("control char in target", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("bad method", "G(T /x HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("bad protocol", "GET /x FOO/1.1\r\nHost: a\r\n\r\n");
        c.put("HTTP/2.0 in an HTTP/1 head", "GET /x HTTP/2.0\r\nHost: a\r\n\r\n");
        c.put("whitespace before request line", " GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        c.put("missing Host", "GET /x HTTP/1.1\r\n\r\n");
        c.put("bad trailer (obs-fold)", POST + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\n");
        return c;
    }

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
    void answersEverySmugglingShapeWith400AndForwardsNothing(TransportKind kind) throws Exception {
        final Map<String, String> corpus = corpus();
        final List<String> failures = new ArrayList<>();
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            for (Map.Entry<String, String> entry : corpus.entrySet()) {
                final String outcome = attempt(proxy.port(), entry.getValue());
                if (outcome != null) {
                    failures.add(entry.getKey() + ": " + outcome);
                }
            }
            // The proxy still serves after the corpus.
            assertEquals(200, proxy.get("/after").statusCode());
        }
        System.out.println("smuggling corpus on " + kind.configName() + ": " + corpus.size() + " cases, "
                + (corpus.size() - failures.size()) + " answered 400 and closed");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(1, origin.seen().size(), "the origin saw a corpus request: " + origin.seen());
    }

    /** Null when the request was answered 400 (JSON) and the connection closed, else what happened. */
    private static String attempt(int port, String request) throws IOException {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send(request);
            final RawHttp.Response response;
            try {
                response = raw.readResponse(false);
            } catch (IOException e) {
                return "no response (" + e.getMessage() + ")";
            }
            if (response.status != 400) {
                return "status " + response.status + " " + response.body;
            }
            if (!"application/json".equals(response.header("content-type"))
                    || !response.body.startsWith("{\"status\":400,")) {
                return "not a JSON error: " + response.body;
            }
            if (!raw.closedByPeer()) {
                return "connection left open";
            }
            return null;
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void servesValidRequestsPipelinedBeforeAMalformedOneThenRejectsIt(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("\r\nGET /one HTTP/1.1\r\nHost: a\r\nX-Obs-Text: caf\u00e9\r\n\r\n"
                    + POST + "Transfer-Encoding: chunked\r\n\r\n3;name=\"v\"\r\nabc\r\n2 ; x\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                    + POST + "Content-Length: 4\r\n\r\nwxyz"
                    + GET + "X-A: one\r\n two\r\n\r\n");
            assertEquals(200, raw.readResponse(false).status);
            final RawHttp.Response chunked = raw.readResponse(false);
            assertEquals(200, chunked.status);
            assertTrue(chunked.body.startsWith("5 "), chunked.body);
            final RawHttp.Response fixed = raw.readResponse(false);
            assertTrue(fixed.body.startsWith("4 "), fixed.body);
            final RawHttp.Response rejected = raw.readResponse(false);
            assertEquals(400, rejected.status);
            assertTrue(rejected.body.contains("obs-fold"), rejected.body);
            assertTrue(raw.closedByPeer());
        }
        assertEquals(3, origin.seen().size());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void acceptsBodiesSplitAcrossManyWrites(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            final String request = POST + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
                    + POST + "Content-Length: 3\r\n\r\nxyz";
            for (char c : request.toCharArray()) {
                raw.send(String.valueOf(c));
            }
            assertTrue(raw.readResponse(false).body.startsWith("4 "));
            assertTrue(raw.readResponse(false).body.startsWith("3 "));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void capsClientConnectionsPerListener(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "limits:\n  max_client_connections: 2\n", origin.url());
             RawHttp first = new RawHttp(proxy.port());
             RawHttp second = new RawHttp(proxy.port())) {
            first.send(GET + "\r\n");
            assertEquals(200, first.readResponse(false).status);
            second.send(GET + "\r\n");
            assertEquals(200, second.readResponse(false).status);
            try (RawHttp third = new RawHttp(proxy.port())) {
                final RawHttp.Response refused = third.readResponse(false);
                assertEquals(503, refused.status);
                assertTrue(refused.body.contains("too many client connections"), refused.body);
                assertTrue(third.closedByPeer());
            }
            first.close();
            // The slot comes back once the proxy has seen the close.
            int status = 0;
            for (int i = 0; i < 100 && status != 200; i++) {
                Thread.sleep(20);
                try (RawHttp again = new RawHttp(proxy.port())) {
                    again.send(GET + "\r\n");
                    status = again.readResponse(false).status;
                }
            }
            assertEquals(200, status);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void closesAnIdleKeepAliveConnection(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "timeouts:\n  client_idle: 300ms\n", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send(GET + "\r\n");
            assertEquals(200, raw.readResponse(false).status);
            final long start = System.nanoTime();
            assertTrue(raw.closedByPeer());
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void timesOutASlowlorisDrippingItsHead(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "timeouts:\n  request_header: 500ms\n", origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            // One header byte every 50 ms keeps the connection busy but never completes the head.
            final String head = GET + "X-Slow: " + "s".repeat(200);
            RawHttp.Response response = null;
            for (int i = 0; i < head.length(); i++) {
                try {
                    raw.send(head.substring(i, i + 1));
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(50);
                if (raw.socket().getInputStream().available() > 0) {
                    response = raw.readResponse(false);
                    break;
                }
            }
            assertTrue(response != null, "no 408 while dripping");
            assertEquals(408, response.status);
            assertTrue(raw.closedByPeer());
        }
        assertEquals(0, origin.seen().size());
    }
}
