package dev.fulcrum.transport.admin;

import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.PrometheusText;
import dev.fulcrum.transport.testing.ProbedOrigin;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reload builds the resilience state of what it adds and keeps that of what stays, against real origins: rate
 * limits, circuit breakers and active health checks of added services and backends behave as configured, state
 * of unchanged ones carries over, removed backends are no longer probed, and slow start turned on by a reload ramps.
 */
@Timeout(60)
class ReloadResilienceTest {
    @TempDir
    Path dir;
    private TestOrigin a;
    private TestOrigin b;
    /** Answers 500 to everything. */
    private ProbedOrigin failing;
    /** Health endpoint answers 200. */
    private ProbedOrigin removed;
    /** Health endpoint answers {@link #freshHealth}. */
    private ProbedOrigin fresh;
    private final AtomicInteger freshHealth = new AtomicInteger(503);

    @BeforeEach
    void origins() throws Exception {
        a = new TestOrigin("a");
        b = new TestOrigin("b");
        failing = new ProbedOrigin(() -> 500);
        removed = new ProbedOrigin(() -> 200);
        fresh = new ProbedOrigin(freshHealth::get);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        failing.close();
        removed.close();
        fresh.close();
    }

    private static String web(String backends, String serviceExtra) {
        return AdminFixture.adminYaml("") + "services:\n  - name: web\n    port: {port}\n" + serviceExtra
                + "    locations:\n      - path: /\n        backends:\n" + backends;
    }

    private static String backend(String url) {
        return "          - url: " + url + "\n";
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aServiceAddedByReloadIsRateLimitedAndItsBucketsSurviveTheNextReload(TransportKind kind) throws Exception {
        final String before = web(backend(a.url()), "");
        final String after = before + "  - name: limited\n    host: limited.test\n    port: {port}\n"
                + "    rate_limit: {requests_per_second: 0.01, burst: 2}\n"
                + "    locations:\n      - path: /\n        backends:\n" + backend(b.url());
        try (AdminFixture f = AdminFixture.start(kind, dir, before); RawHttp keepAlive = new RawHttp(f.port)) {
            // Opened before the reload: the connection must pick up the limiter the reload builds.
            assertEquals(200, send(keepAlive, "limited.test", "/before").status);
            assertEquals("a GET /before", lastBody);

            reload(f, kind, after);
            assertEquals(200, send(keepAlive, "limited.test", "/1").status);
            assertEquals("b GET /1", lastBody);
            assertEquals(200, send(keepAlive, "limited.test", "/2").status);
            final RawHttp.Response limited = send(keepAlive, "limited.test", "/3");
            assertEquals(429, limited.status);
            assertTrue(Integer.parseInt(limited.header("retry-after")) > 0);
            assertEquals(200, send(keepAlive, "other.test", "/web").status, "the default service has no limit");

            reload(f, kind, after); // unchanged: the same buckets, so no fresh burst
            assertEquals(429, send(keepAlive, "limited.test", "/4").status);
            try (RawHttp newConnection = new RawHttp(f.port)) {
                assertEquals(429, send(newConnection, "limited.test", "/5").status);
            }
            assertEquals(3, scrape(f).sum("fulcrum_rate_limited_total", "service", "limited"));

            reload(f, kind, after.replace("burst: 2", "burst: 3")); // changed: a new limiter, buckets start full
            assertEquals(200, send(keepAlive, "limited.test", "/6").status);
        }
    }

    @Test
    void aBreakerAddedByReloadOpensAndStaysOpenAcrossAReloadThatKeepsIt() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        final String before = web(backend(a.url()), "");
        final String after = before + "  - name: cb\n    host: cb.test\n    port: {port}\n"
                + "    circuit_breaker: {failure_threshold: 2, reset_timeout: 60s}\n"
                + "    locations:\n      - path: /\n        backends:\n" + backend(failing.url());
        try (AdminFixture f = AdminFixture.start(kind, dir, before); RawHttp raw = new RawHttp(f.port)) {
            reload(f, kind, after);
            assertEquals(500, send(raw, "cb.test", "/1").status);
            assertEquals(500, send(raw, "cb.test", "/2").status);
            assertEquals(503, send(raw, "cb.test", "/3").status);
            assertTrue(lastBody.contains("circuit open"), lastBody);
            assertEquals(2, failing.served.get());

            reload(f, kind, after);
            assertEquals(503, send(raw, "cb.test", "/4").status, "the open breaker was carried over");
            assertEquals(2, failing.served.get());
            assertEquals(1, scrape(f).sum("fulcrum_circuit_breaker_state", "service", "cb"));

            reload(f, kind, before); // breaker and backend gone: no stale state, no label set
            assertEquals(200, send(raw, "cb.test", "/5").status);
            assertEquals(0, scrape(f).sum("fulcrum_circuit_breaker_state", "service", "cb"));
        }
    }

    @Test
    void healthChecksStartForAddedBackendsAndStopForRemovedOnes() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        final String check = "    health_check: {type: http, path: /health, interval: 50ms, timeout: 500ms}\n";
        try (AdminFixture f = AdminFixture.start(kind, dir, web(backend(a.url()) + backend(removed.url()), check))) {
            awaitProbes(removed, 2);

            reload(f, kind, web(backend(a.url()) + backend(fresh.url()), check));
            awaitProbes(fresh, 2);
            // Checked before traffic and failing its check: the added backend takes nothing.
            for (int i = 0; i < 10; i++) {
                assertEquals("a GET /while-unhealthy" + i, f.get("/while-unhealthy" + i).body());
            }
            assertEquals(0, fresh.served.get());
            final int probesAtReload = removed.probes.get();
            Thread.sleep(400); // eight intervals: at most the run in progress at the reload may still arrive
            assertTrue(removed.probes.get() <= probesAtReload + 1,
                    "removed backend still probed: " + probesAtReload + " -> " + removed.probes.get());
            assertEquals(2, f.server.health().targets());

            freshHealth.set(200);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (fresh.served.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "added backend never took traffic after passing its check");
                f.get("/after-healthy");
                Thread.sleep(20);
            }

            reload(f, kind, web(backend(a.url()) + backend(fresh.url()), "")); // checks off: nobody probes
            final int freshProbes = fresh.probes.get();
            Thread.sleep(300);
            assertTrue(fresh.probes.get() <= freshProbes + 1, "checks turned off but still probing");
            assertEquals(0, f.server.health().targets());
        }
    }

    @Test
    void slowStartTurnedOnByAReloadRampsTheBackendsItAdds() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        final String before = AdminFixture.adminYaml("") + "services:\n  - name: web\n    port: {port}\n"
                + "    locations:\n      - path: /\n        lb_policy: weighted-round-robin\n        backends:\n"
                + backend(a.url());
        final String after = before.replace("        backends:\n", "        lb_options: {slow_start: 1s}\n"
                + "        backends:\n") + backend(b.url());
        try (AdminFixture f = AdminFixture.start(kind, dir, before)) {
            reload(f, kind, after);
            final ServerPool pool = f.server.context().routing().allPools().get(0);
            assertEquals(2, pool.snapshot().size());
            assertTrue(pool.snapshot().weight(1) < pool.snapshot().weight(0),
                    "the added backend starts low: " + pool.snapshot().weight(1));
            // Only the ticker republishes snapshots while a ramp runs; without it the weights would stay scaled.
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (pool.snapshot().weight(1) != 1 || pool.snapshot().weight(0) != 1) {
                assertTrue(System.nanoTime() < deadline, "ramp never ended: " + pool.snapshot().weight(0) + "/"
                        + pool.snapshot().weight(1));
                Thread.sleep(20);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String lastBody;

    private RawHttp.Response send(RawHttp raw, String host, String path) throws IOException {
        raw.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        final RawHttp.Response response = raw.readResponse(false);
        lastBody = response.body;
        return response;
    }

    private static void reload(AdminFixture f, TransportKind kind, String yaml) throws Exception {
        f.rewrite(kind, yaml);
        final HttpResponse<String> reload = f.call("POST", "/api/reload", AdminFixture.API_KEY, null);
        assertEquals(200, reload.statusCode(), reload.body());
        assertTrue(AdminFixture.json(reload).get("applied").asBoolean(), reload.body());
    }

    private static PrometheusText scrape(AdminFixture f) {
        return new PrometheusText(new String(f.server.context().metrics().scrapeText(), StandardCharsets.UTF_8));
    }

    private static void awaitProbes(ProbedOrigin origin, int count) throws InterruptedException {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (origin.probes.get() < count) {
            assertTrue(System.nanoTime() < deadline, "not probed " + count + " times");
            Thread.sleep(10);
        }
    }
}
