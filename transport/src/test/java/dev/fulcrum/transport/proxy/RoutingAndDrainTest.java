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
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Virtual hosts, longest prefix, rewrite, and graceful drain, through real sockets. */
@Timeout(60)
class RoutingAndDrainTest {
    private TestOrigin a;
    private TestOrigin b;
    private TestOrigin api;

    @BeforeEach
    void startOrigins() throws Exception {
        a = new TestOrigin("a");
        b = new TestOrigin("b");
        api = new TestOrigin("api");
    }

    @AfterEach
    void stopOrigins() {
        a.close();
        b.close();
        api.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void routesByHostThenLongestPrefixAndRewritesKeepingTheQuery(TransportKind kind) throws Exception {
        final String yaml = "services:\n"
                + "  - name: a\n    host: a.test\n    port: {port}\n    locations:\n"
                + "      - path: /\n        backends:\n          - url: " + a.url() + "\n"
                + "      - path: /api/\n        rewrite: /v1/\n        backends:\n          - url: " + api.url() + "\n"
                + "  - name: b\n    host: '*.b.test'\n    port: {port}\n    locations:\n"
                + "      - path: /\n        backends:\n          - url: " + b.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /api/users?x=1&y=%2F HTTP/1.1\r\nHost: A.TEST:" + proxy.port() + "\r\n\r\n");
            assertEquals("api GET /v1/users?x=1&y=%2F", raw.readResponse(false).body);
            raw.send("GET /about HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertEquals("a GET /about", raw.readResponse(false).body);
            raw.send("GET /apix HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertEquals("a GET /apix", raw.readResponse(false).body);
            raw.send("GET /w HTTP/1.1\r\nHost: www.b.test\r\n\r\n");
            assertEquals("b GET /w", raw.readResponse(false).body);
            raw.send("GET /w HTTP/1.1\r\nHost: unknown.test\r\n\r\n");
            assertEquals(404, raw.readResponse(false).status);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void drainLetsAnInFlightRequestFinishAndStopsAccepting(TransportKind kind) throws Exception {
        final ProxyFixture proxy = ProxyFixture.over(kind, "", a.url());
        try {
            final CompletableFuture<HttpResponse<String>> inFlight = proxy.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/slow/700")).build(), HttpResponse.BodyHandlers.ofString());
            while (a.seen().isEmpty()) {
                Thread.sleep(10);
            }
            final int stillBusy = proxy.server().drainAndStop(5_000);
            assertEquals(0, stillBusy);
            final HttpResponse<String> response = inFlight.get();
            assertEquals(200, response.statusCode());
            assertEquals("a slow", response.body());
            assertThrows(ConnectException.class, () -> connect(proxy.port()));
        } finally {
            proxy.close();
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(1);
        }
    }
}
