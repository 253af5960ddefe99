package dev.fulcrum.transport.resilience;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backend's circuit breaker through the proxy: opens on upstream 5xx, never on Fulcrum's own 503, probes back. */
@Timeout(60)
class CircuitBreakerProxyTest {
    private HttpServer origin;
    private final AtomicInteger status = new AtomicInteger(500);
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void startOrigin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.stop(0);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void opensOnUpstream5xxRejectsWithoutCountingItsOwn503AndClosesAfterASuccessfulProbe(TransportKind kind)
            throws Exception {
        final String yaml = "circuit_breaker: {failure_threshold: 3, reset_timeout: 300ms, half_open_requests: 1}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, "http://127.0.0.1:" + origin.getAddress().getPort())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(500, proxy.get("/fail" + i).statusCode());
            }
            final long openedAt = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                final HttpResponse<String> rejected = proxy.get("/open" + i);
                assertEquals(503, rejected.statusCode());
                assertTrue(rejected.body().contains("circuit open"), rejected.body());
            }
            assertEquals(3, served.get(), "an open circuit let a request through");

            // Half-open: one probe; it fails, the circuit opens again for a full reset timeout.
            sleepUntil(openedAt, 350);
            assertEquals(500, proxy.get("/probe-fails").statusCode());
            assertEquals(4, served.get());
            final long reopenedAt = System.nanoTime();
            assertEquals(503, proxy.get("/reopened").statusCode());

            status.set(200);
            sleepUntil(reopenedAt, 350);
            assertEquals(200, proxy.get("/probe-passes").statusCode());
            for (int i = 0; i < 10; i++) {
                assertEquals(200, proxy.get("/closed" + i).statusCode());
            }
            assertEquals(15, served.get());
            assertEquals(2, proxy.server().context().circuitBreakers().get(
                    proxy.server().context().routing().locations().get(0).pool().snapshot().state(0)).tripsOpaque());
        }
    }

    private static void sleepUntil(long since, long millis) throws InterruptedException {
        final long remaining = millis - (System.nanoTime() - since) / 1_000_000L;
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
    }
}
