package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.PrometheusText;
import dev.fulcrum.transport.testing.ProbedOrigin;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backends added through the admin API get their service's health checks and circuit breaker at once, without a
 * reload; removed ones stop being probed; the next reload restores the config file's backends and says so.
 */
@Timeout(60)
class AdminBackendResilienceTest {
    private static final String BACKENDS = "/api/backends?service_name=web&path=/";

    @TempDir
    Path dir;
    private TestOrigin a;
    /** Health endpoint answers {@link #addedHealth}; other requests 200. */
    private ProbedOrigin added;
    private final AtomicInteger addedHealth = new AtomicInteger(503);
    /** Answers 500 to everything. */
    private ProbedOrigin failing;

    @BeforeEach
    void origins() throws Exception {
        a = new TestOrigin("a");
        added = new ProbedOrigin(addedHealth::get);
        failing = new ProbedOrigin(() -> 500);
    }

    @AfterEach
    void stop() {
        a.close();
        added.close();
        failing.close();
    }

    private String web(String serviceExtra) {
        return AdminFixture.adminYaml("") + "services:\n  - name: web\n    port: {port}\n" + serviceExtra
                + "    locations:\n      - path: /\n        backends:\n          - url: " + a.url() + "\n";
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anAddedBackendIsProbedAtOnceMarkedDownWhenItFailsAndNoLongerProbedOnceRemoved(TransportKind kind)
            throws Exception {
        final String yaml = web("    health_check: {type: http, path: /health, interval: 50ms, timeout: 500ms,"
                + " thresholds: {healthy: 1, unhealthy: 2}}\n");
        try (AdminFixture f = AdminFixture.start(kind, dir, yaml)) {
            assertEquals(1, f.server.health().targets());
            final HttpResponse<String> created = f.call("POST", BACKENDS, AdminFixture.API_KEY,
                    "{\"url\":\"" + added.url() + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            final JsonNode view = AdminFixture.json(created);
            assertEquals("api", view.get("source").asText());
            assertFalse(view.get("alive").asBoolean(), "checked before traffic: out until its first probe passes");
            assertEquals(2, f.server.health().targets(), "probed from now on, no reload needed");
            awaitProbes(added, 2);
            for (int i = 0; i < 10; i++) {
                assertEquals("a GET /unchecked" + i, f.get("/unchecked" + i).body());
            }
            assertEquals(0, added.served.get(), "failing its check, the added backend took traffic");

            addedHealth.set(200);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (added.served.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "added backend never took traffic after passing its check");
                f.get("/after-healthy");
                Thread.sleep(20);
            }
            assertTrue(alive(f, added.url()));

            addedHealth.set(503);
            deadline = System.nanoTime() + 5_000_000_000L;
            while (alive(f, added.url())) {
                assertTrue(System.nanoTime() < deadline, "a failing probe never took the added backend out");
                Thread.sleep(20);
            }
            final int servedWhenDown = added.served.get();
            for (int i = 0; i < 10; i++) {
                assertEquals("a GET /down" + i, f.get("/down" + i).body());
            }
            assertEquals(servedWhenDown, added.served.get());

            final HttpResponse<String> deleted = f.call("DELETE", BACKENDS + "&url=" + added.url(),
                    AdminFixture.API_KEY, null);
            assertEquals(204, deleted.statusCode(), deleted.body());
            assertEquals(1, f.server.health().targets());
            final int probesAtRemoval = added.probes.get();
            Thread.sleep(400); // eight intervals: at most the run in progress at the removal may still arrive
            assertTrue(added.probes.get() <= probesAtRemoval + 1,
                    "removed backend still probed: " + probesAtRemoval + " -> " + added.probes.get());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anAddedBackendGetsItsServicesCircuitBreakerAndAReloadRestoresTheFilesBackendsSayingSo(TransportKind kind)
            throws Exception {
        try (AdminFixture f = AdminFixture.start(kind, dir, web("    circuit_breaker: {failure_threshold: 2,"
                + " reset_timeout: 60s}\n")); RawHttp raw = new RawHttp(f.port)) {
            assertEquals(201, f.call("POST", BACKENDS, AdminFixture.API_KEY,
                    "{\"url\":\"" + failing.url() + "\"}").statusCode());
            assertEquals(204, f.call("DELETE", BACKENDS + "&url=" + a.url(), AdminFixture.API_KEY, null)
                    .statusCode());
            assertEquals(500, send(raw, "/1").status);
            assertEquals(500, send(raw, "/2").status);
            final RawHttp.Response open = send(raw, "/3");
            assertEquals(503, open.status);
            assertTrue(open.body.contains("circuit open"), open.body);
            assertEquals(2, failing.served.get(), "the open breaker kept the third request off the backend");
            assertEquals(1, scrape(f).sum("fulcrum_circuit_breaker_state", "backend", failing.url()));

            assertEquals(200, f.call("PUT", "/api/config?service_name=web&path=/", AdminFixture.API_KEY,
                    "{\"algorithm\":\"least-connections\"}").statusCode());
            final HttpResponse<String> reload = f.call("POST", "/api/reload", AdminFixture.API_KEY, null);
            assertEquals(200, reload.statusCode(), reload.body());
            final String warnings = AdminFixture.json(reload).get("warnings").toString();
            assertTrue(warnings.contains("backend " + failing.url() + " was added through the admin API and is not"
                    + " in the config file: the reload removed it"), warnings);
            assertTrue(warnings.contains("backend " + a.url() + " was removed through the admin API and is in the"
                    + " config file: the reload restored it"), warnings);
            assertTrue(warnings.contains("algorithm least-connections was set through the admin API: the reload set it"
                    + " back to the config file's round-robin"), warnings);
            assertEquals(200, send(raw, "/4").status, "the file's backend serves again");
            final JsonNode backends = AdminFixture.json(f.call("GET", BACKENDS, AdminFixture.API_KEY, null));
            assertEquals(1, backends.size(), backends.toString());
            assertEquals("config", backends.get(0).get("source").asText());
            assertEquals(0, scrape(f).sum("fulcrum_circuit_breaker_state", "backend", failing.url()));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static RawHttp.Response send(RawHttp raw, String path) throws Exception {
        raw.send("GET " + path + " HTTP/1.1\r\nHost: web.test\r\n\r\n");
        return raw.readResponse(false);
    }

    private static boolean alive(AdminFixture f, String url) throws Exception {
        for (JsonNode backend : AdminFixture.json(f.call("GET", BACKENDS, AdminFixture.API_KEY, null))) {
            if (backend.get("url").asText().equals(url)) {
                return backend.get("alive").asBoolean();
            }
        }
        throw new AssertionError("backend not listed: " + url);
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
