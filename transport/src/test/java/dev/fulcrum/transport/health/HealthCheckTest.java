package dev.fulcrum.transport.health;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Active health checks against real origins: checked before traffic, taken out, brought back. */
@Timeout(60)
class HealthCheckTest {
    private TestOrigin stable;
    private HttpServer flapping;
    private final AtomicInteger healthStatus = new AtomicInteger(503);
    private final AtomicInteger flappingServed = new AtomicInteger();

    @BeforeEach
    void startOrigins() throws Exception {
        stable = new TestOrigin("stable");
        flapping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flapping.createContext("/", exchange -> {
            final boolean probe = exchange.getRequestURI().getPath().equals("/health");
            final int status = probe ? healthStatus.get() : 200;
            if (!probe) {
                flappingServed.incrementAndGet();
            }
            final byte[] body = (probe ? "health" : "flapping").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flapping.start();
    }

    @AfterEach
    void stopOrigins() {
        stable.close();
        flapping.stop(0);
    }

    private String flappingUrl() {
        return "http://127.0.0.1:" + flapping.getAddress().getPort();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aFailingBackendNeverTakesTrafficThenJoinsAndLeavesWithinItsThresholds(TransportKind kind) throws Exception {
        final String yaml = "health_check:\n  type: http\n  path: /health\n  host: health.internal\n"
                + "  interval: 100ms\n  timeout: 500ms\n  jitter_percent: 0\n"
                + "  thresholds: {healthy: 2, unhealthy: 2}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, stable.url(), flappingUrl())) {
            final BackendSnapshot snapshot = proxy.server().context().routing().locations().get(0).pool().snapshot();
            await(() -> snapshot.state(0).isAliveOpaque(), 5_000, "stable backend admitted");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, proxy.get("/r" + i).statusCode());
            }
            assertEquals(0, flappingServed.get(), "a backend failing its checks took traffic");
            assertFalse(snapshot.state(1).isAliveOpaque());
            assertEquals(0, snapshot.state(1).requestsOpaque());

            healthStatus.set(200);
            final long joinMillis = await(() -> snapshot.state(1).isAliveOpaque(), 5_000, "recovered backend joins");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, proxy.get("/j" + i).statusCode());
            }
            assertTrue(flappingServed.get() >= 5, "recovered backend got " + flappingServed.get() + " of 20");

            healthStatus.set(500);
            final long ejectMillis = await(() -> !snapshot.state(1).isAliveOpaque(), 5_000, "failing backend leaves");
            final int servedBefore = flappingServed.get();
            for (int i = 0; i < 20; i++) {
                assertEquals(200, proxy.get("/e" + i).statusCode());
            }
            assertEquals(servedBefore, flappingServed.get(), "an unhealthy backend took traffic");
            System.out.println("health on " + kind.configName() + ": joined after " + joinMillis
                    + " ms (2 x 100 ms interval), left after " + ejectMillis + " ms");
            // 2 successes / 2 failures at 100 ms intervals: well under a second each, with scheduling slack.
            assertTrue(joinMillis < 2_000 && ejectMillis < 2_000, joinMillis + " / " + ejectMillis);
            assertTrue(proxy.server().health().transitions() >= 3, "stable up, flapping up, flapping down");
            final TestOrigin.Seen probe = stable.seen().stream().filter(s -> s.uri().equals("/health"))
                    .findFirst().orElseThrow();
            assertEquals("health.internal", probe.header("host"));
            assertEquals("fulcrum-health-check", probe.header("user-agent"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aTcpCheckKeepsAClosedPortOutOfRotation(TransportKind kind) throws Exception {
        final String dead = "http://127.0.0.1:" + ProxyFixture.freePort();
        final String yaml = "health_check: {type: tcp, interval: 100ms, timeout: 300ms}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, dead, stable.url())) {
            final BackendSnapshot snapshot = proxy.server().context().routing().locations().get(0).pool().snapshot();
            await(() -> snapshot.state(1).isAliveOpaque(), 5_000, "live backend admitted");
            for (int i = 0; i < 10; i++) {
                assertEquals(200, proxy.get("/t" + i).statusCode());
            }
            assertFalse(snapshot.state(0).isAliveOpaque());
            assertEquals(0, snapshot.state(0).requestsOpaque(), "no request was even attempted on the dead port");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void withoutCheckBeforeTrafficABackendStartsAlive(TransportKind kind) throws Exception {
        final String yaml = "health_check: {type: http, path: /health, interval: 10s, check_before_traffic: false}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, flappingUrl())) {
            final BackendSnapshot snapshot = proxy.server().context().routing().locations().get(0).pool().snapshot();
            assertTrue(snapshot.state(0).isAliveOpaque());
            assertEquals(200, proxy.get("/now").statusCode());
        }
    }

    @Test
    void aBackendThatPassesItsCheckAgainRampsUpWithSlowStart() throws Exception {
        final String yaml = "health_check: {type: http, path: /health, interval: 30ms, timeout: 500ms,"
                + " thresholds: {healthy: 1, unhealthy: 1}}\n"
                + "services:\n  - name: app\n    port: {port}\n    locations:\n      - path: /\n"
                + "        lb_policy: weighted-round-robin\n        lb_options: {slow_start: 1s}\n"
                + "        backends:\n          - url: " + stable.url() + "\n          - url: " + flappingUrl() + "\n";
        healthStatus.set(200);
        try (ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, yaml)) {
            final ServerPool pool = proxy.server().context().routing().allPools().get(0);
            await(() -> pool.snapshot().state(0).isAliveOpaque() && pool.snapshot().state(1).isAliveOpaque(),
                    5_000, "both admitted");
            Thread.sleep(1_200); // the ramps of the first admissions end (scaled weights 1 and 1 could be their start)
            await(() -> pool.snapshot().weight(0) == 1 && pool.snapshot().weight(1) == 1, 5_000, "plain weights");
            healthStatus.set(503);
            await(() -> !pool.snapshot().state(1).isAliveOpaque(), 5_000, "flapping out");
            healthStatus.set(200);
            await(() -> pool.snapshot().state(1).isAliveOpaque(), 5_000, "flapping back");
            // Back through the health checker: it restarts at 1 % of its weight (x100 while ramping) ...
            assertTrue(pool.snapshot().weight(1) < 50, "came back at weight " + pool.snapshot().weight(1)
                    + " of 100");
            assertEquals(100, pool.snapshot().weight(0));
            // ... and the ticker takes it to full weight within the 1 s window.
            await(() -> pool.snapshot().weight(1) == 1 && pool.snapshot().weight(0) == 1, 5_000, "ramp over");
        }
    }

    /** Waits for a condition; returns how long it took in milliseconds. */
    private static long await(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        final long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeoutMillis * 1_000_000L) {
                throw new AssertionError(what + ": not within " + timeoutMillis + " ms");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
