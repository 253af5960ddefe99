package dev.fulcrum.transport.health;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passive health against real origins: a backend answering 5xx, and one refusing connections, get ejected. */
@Timeout(60)
class OutlierDetectionTest {
    private static final String OUTLIER = "outlier_detection:\n  consecutive_failures: 3\n"
            + "  base_ejection_time: 400ms\n  max_ejection_time: 2s\n  max_ejection_percent: 50\n"
            + "  panic_threshold: 0\n";

    private TestOrigin stable;
    private HttpServer failing;
    private final AtomicInteger failingServed = new AtomicInteger();

    @BeforeEach
    void startOrigins() throws Exception {
        stable = new TestOrigin("stable");
        failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", exchange -> {
            failingServed.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        failing.start();
    }

    @AfterEach
    void stopOrigins() {
        stable.close();
        failing.stop(0);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void ejectsABackendAnswering5xxAndEjectsItLongerTheSecondTime(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, OUTLIER, stable.url(),
                "http://127.0.0.1:" + failing.getAddress().getPort())) {
            final BackendState bad = snapshot(proxy).state(1);
            final long firstStart = System.nanoTime();
            final long firstEjectedAt = sendUntilEjected(proxy, bad);
            final int servedAtEjection = failingServed.get();
            assertTrue(servedAtEjection >= 3 && servedAtEjection <= 6,
                    "ejected after " + servedAtEjection + " 5xx (threshold 3, 10 ms detection tick)");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, proxy.get("/while-ejected-" + i).statusCode());
            }
            assertEquals(servedAtEjection, failingServed.get(), "an ejected backend took traffic");

            final long back = awaitAlive(bad, firstEjectedAt, 3_000);
            final long secondStart = System.nanoTime();
            final long secondEjectedAt = sendUntilEjected(proxy, bad);
            final long backAgain = awaitAlive(bad, secondEjectedAt, 5_000);
            System.out.println("outlier on " + kind.configName() + ": ejected "
                    + (firstEjectedAt - firstStart) / 1_000_000L + " ms after the first 5xx run began; back after "
                    + back + " ms (base 400); ejected again " + (secondEjectedAt - secondStart) / 1_000_000L
                    + " ms after the next run began, back after " + backAgain + " ms (2 x 400)");
            // Measured from when the test saw the ejection, which can lag it on a loaded machine: loose lower bounds.
            assertTrue(back >= 150 && back < 1_500, "first ejection lasted " + back + " ms");
            assertTrue(backAgain >= 500 && backAgain < 2_500, "second ejection lasted " + backAgain + " ms");
            assertEquals(2, proxy.server().health().ejections());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void ejectsABackendThatRefusesConnectionsWhileRetriesHideItFromClients(TransportKind kind) throws Exception {
        final String dead = "http://127.0.0.1:" + ProxyFixture.freePort();
        try (ProxyFixture proxy = ProxyFixture.over(kind, OUTLIER, stable.url(), dead)) {
            final BackendState refused = snapshot(proxy).state(1);
            for (int i = 0; i < 40 && refused.isAliveOpaque(); i++) {
                assertEquals(200, proxy.get("/r" + i).statusCode(), "the retry hides the refusal");
                Thread.sleep(5);
            }
            assertFalse(refused.isAliveOpaque(), "not ejected after repeated connect failures");
            final long attempts = refused.requestsOpaque();
            for (int i = 0; i < 20; i++) {
                assertEquals(200, proxy.get("/after" + i).statusCode());
            }
            assertEquals(attempts, refused.requestsOpaque(), "connects were attempted on an ejected backend");
        }
    }

    private static BackendSnapshot snapshot(ProxyFixture proxy) {
        return proxy.server().context().routing().locations().get(0).pool().snapshot();
    }

    /** Sends requests until {@code bad} is ejected; returns when that was seen (System.nanoTime()). */
    private static long sendUntilEjected(ProxyFixture proxy, BackendState bad) throws Exception {
        for (int i = 0; i < 200 && bad.isAliveOpaque(); i++) {
            final HttpResponse<String> response = proxy.get("/x" + i);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 500, "" + response.statusCode());
            Thread.sleep(5);
        }
        assertFalse(bad.isAliveOpaque(), "never ejected");
        return System.nanoTime();
    }

    /** Waits until the backend is back; returns milliseconds since {@code since}. */
    private static long awaitAlive(BackendState state, long since, long timeoutMillis) throws InterruptedException {
        final long start = since;
        while (!state.isAliveOpaque()) {
            if (System.nanoTime() - start > timeoutMillis * 1_000_000L) {
                throw new AssertionError("not back within " + timeoutMillis + " ms");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
