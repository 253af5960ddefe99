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

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket through the proxy with the JDK's WebSocket client and a Netty WebSocket origin: the handshake is relayed,
 * then frames go both ways through the byte tunnel (both HTTP codecs removed), and a close on either side reaches
 * the other.
 */
@Timeout(60)
class WebSocketTunnelTest {
    private WebSocketOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new WebSocketOrigin();
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void framesGoBothWaysAndAServerCloseReachesTheClient(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            final Collector collector = new Collector();
            final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), collector)
                    .get(10, TimeUnit.SECONDS);
            // The origin counts its handshake after writing the 101, so the client may see the 101 first.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (origin.handshakes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, origin.handshakes());
            for (int i = 0; i < 50; i++) {
                ws.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
                assertEquals("hello " + i, collector.next());
            }
            // 4 MiB: many socket reads and writes on each hop, with the client reading as it goes.
            final byte[] big = new byte[4 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + (i >>> 10));
            }
            ws.sendBinary(ByteBuffer.wrap(big), true).get(20, TimeUnit.SECONDS);
            assertArrayEquals(big, collector.nextBinary());

            ws.sendText("close-me", true).get(5, TimeUnit.SECONDS);
            assertEquals("close 1000 bye", collector.next(), "the origin's close frame reached the client");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aClientCloseClosesTheBackendConnection(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            final Collector collector = new Collector();
            final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), collector)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
            assertEquals("ping", collector.next());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            assertEquals("close 1000 done", collector.next(), "the origin answered the close through the tunnel");
            ws.abort();
            assertTrue(origin.awaitConnectionClosed(10_000), "backend connection closed");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anUpgradeTheBackendRefusesIsAnOrdinaryResponseAndTheConnectionStaysHttp(TransportKind kind)
            throws Exception {
        try (TestOrigin plain = new TestOrigin("plain");
             ProxyFixture proxy = ProxyFixture.over(kind, "", plain.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            final RawHttp.Response r = raw.readResponse(false);
            assertEquals(200, r.status);
            assertEquals("plain GET /x", r.body);
            assertEquals("websocket", plain.lastSeen().header("upgrade"), "the upgrade was asked of the backend");
            assertEquals("upgrade", plain.lastSeen().header("connection"));
            raw.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("plain GET /y", raw.readResponse(false).body);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aClientThatStopsReadingStopsTheOriginThroughTheTunnel(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            received.addAndGet(data.remaining());
                            return null; // no request(1): the client stops reading after the first part
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("flood", true).get(5, TimeUnit.SECONDS);
            long before;
            long after = origin.flooded();
            do {
                before = after;
                Thread.sleep(300);
                after = origin.flooded();
            } while (after != before);
            // Socket buffers on four loopback sockets plus the proxy's per-channel write watermark: far below the
            // 256 MiB the origin would send to a reader that keeps up.
            assertTrue(after < 64L << 20, "origin stopped after " + after + " bytes");
            assertTrue(received.get() < 1L << 20, "client read only " + received.get());
            ws.abort();
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anIdleTunnelIsClosedOnBothSidesButAnActiveOneStaysOpen(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "timeouts: {tunnel_idle: 400ms}", origin.url())) {
            final Collector collector = new Collector();
            final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), collector)
                    .get(10, TimeUnit.SECONDS);
            // Traffic every 100 ms for three idle timeouts: the tunnel stays up.
            long silentSince = 0;
            for (int i = 0; i < 12; i++) {
                ws.sendText("tick " + i, true).get(5, TimeUnit.SECONDS);
                assertEquals("tick " + i, collector.next());
                silentSince = System.nanoTime(); // the tunnel's last traffic was just before this
                Thread.sleep(100);
            }
            // Then silence both ways: the proxy closes the backend connection and the client's.
            assertTrue(origin.awaitConnectionClosed(5_000), "backend connection closed by the idle timer");
            final String end = collector.next();
            assertTrue(end != null && (end.startsWith("error") || end.startsWith("close")),
                    "the client connection ended: " + end);
            final long silentMillis = (System.nanoTime() - silentSince) / 1_000_000;
            assertTrue(silentMillis >= 350, "not before the idle timeout (400 ms): " + silentMillis + " ms");
        }
    }

    /** Collects whole messages; a close is reported as "close CODE REASON". */
    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            final byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.write(bytes, 0, bytes.length);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            messages.add("close " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            messages.add("error " + error);
        }

        String next() throws InterruptedException {
            final Object m = messages.poll(10, TimeUnit.SECONDS);
            if (m instanceof byte[]) {
                return "binary " + Arrays.toString(Arrays.copyOf((byte[]) m, 8));
            }
            return (String) m;
        }

        byte[] nextBinary() throws InterruptedException {
            final Object m = messages.poll(20, TimeUnit.SECONDS);
            if (!(m instanceof byte[])) {
                throw new AssertionError("expected a binary message, got " + m);
            }
            return (byte[]) m;
        }
    }
}
