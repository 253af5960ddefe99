package dev.fulcrum.transport.resilience;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drain: keep-alive clients are told Connection: close, in-flight requests finish, the deadline cuts the rest. */
@Timeout(60)
class GracefulDrainTest {
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
    void anInFlightKeepAliveRequestFinishesWithConnectionClose(TransportKind kind) throws Exception {
        final ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
        try (RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /slow/600 HTTP/1.1\r\nHost: a\r\n\r\n");
            while (origin.seen().isEmpty()) {
                Thread.sleep(5);
            }
            final CompletableFuture<Integer> drained =
                    CompletableFuture.supplyAsync(() -> proxy.server().drainAndStop(5_000));
            final RawHttp.Response response = raw.readResponse(false);
            assertEquals(200, response.status);
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByPeer());
            assertEquals(0, drained.get(), "nothing left in flight at the deadline");
        } finally {
            proxy.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void theDeadlineCutsWhatIsStillInFlight(TransportKind kind) throws Exception {
        final ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url());
        try (RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /slow/5000 HTTP/1.1\r\nHost: a\r\n\r\n");
            while (origin.seen().isEmpty()) {
                Thread.sleep(5);
            }
            final long start = System.nanoTime();
            assertEquals(1, proxy.server().drainAndStop(300), "one request cut at the deadline");
            assertTrue(raw.closedByPeer());
            assertTrue((System.nanoTime() - start) / 1_000_000L < 4_000, "drain overran its deadline");
        } finally {
            proxy.close();
        }
    }
}
