package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hot reload over real sockets: connections and in-flight requests survive, bad configs are refused. */
@Timeout(60)
class ReloadTest {
    @TempDir
    Path dir;
    private TestOrigin a;
    private TestOrigin b;

    @BeforeEach
    void origins() throws Exception {
        a = new TestOrigin("a");
        b = new TestOrigin("b");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String config(String backend, int extraPort) {
        String yaml = AdminFixture.adminYaml("") + "services:\n  - name: web\n    port: {port}\n    locations:\n"
                + "      - path: /\n        backends:\n          - url: " + backend + "\n";
        if (extraPort > 0) {
            yaml += "  - name: extra\n    port: " + extraPort + "\n    locations:\n"
                    + "      - path: /\n        backends:\n          - url: " + b.url() + "\n";
        }
        return yaml;
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void inFlightAndKeepAliveSurviveAReloadThatChangesBackendsAndListeners(TransportKind kind) throws Exception {
        final int extra = ProxyFixture.freePort();
        try (AdminFixture f = AdminFixture.start(kind, dir, config(a.url(), 0));
             RawHttp keepAlive = new RawHttp(f.port)) {
            keepAlive.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("a GET /who", keepAlive.readResponse(false).body);
            final CompletableFuture<HttpResponse<String>> slow = f.client.sendAsync(
                    HttpRequest.newBuilder(f.proxy("/slow/1500")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300); // the slow request is with backend a now

            f.rewrite(kind, config(b.url(), extra));
            final HttpResponse<String> reload = f.call("POST", "/api/reload", AdminFixture.API_KEY, null);
            assertEquals(200, reload.statusCode(), reload.body());
            assertTrue(AdminFixture.json(reload).get("applied").asBoolean());

            assertEquals(200, slow.get().statusCode());
            assertEquals("a slow", slow.get().body(), "the in-flight request finished on the removed backend");
            keepAlive.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("b GET /who", keepAlive.readResponse(false).body, "same connection, new routing");
            try (RawHttp added = new RawHttp(extra)) {
                added.send("GET /new HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("b GET /new", added.readResponse(false).body, "listener added by the reload");
            }

            f.rewrite(kind, config(b.url(), 0));
            assertEquals(200, f.call("POST", "/api/reload", AdminFixture.API_KEY, null).statusCode());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", extra).close(),
                    "listener removed by the reload");
        }
    }

    @Test
    void anInvalidConfigIsRefusedWithItsErrorAndTheOldOneKeepsServing() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        try (AdminFixture f = AdminFixture.start(kind, dir, config(a.url(), 0))) {
            f.rewrite(kind, config(a.url(), 0).replace("- url: " + a.url(), "- url: htp://nowhere"));
            final HttpResponse<String> refused = f.call("POST", "/api/reload", AdminFixture.API_KEY, null);
            assertEquals(422, refused.statusCode(), refused.body());
            final JsonNode body = AdminFixture.json(refused);
            assertFalse(body.get("applied").asBoolean());
            final String error = body.get("error").asText();
            assertTrue(error.contains("fulcrum.yaml:") && error.contains("services[0].locations[0].backends[0].url"),
                    error);
            assertEquals("a GET /still", f.get("/still").body());

            f.rewrite(kind, "services: [");
            assertEquals(422, f.call("POST", "/api/reload", AdminFixture.API_KEY, null).statusCode());
            assertEquals("a GET /still", f.get("/still").body());
        }
    }

    @Test
    void backendsThatStayKeepTheirCountersAndDrainedFlag() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        try (AdminFixture f = AdminFixture.start(kind, dir, config(a.url(), 0))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, f.get("/x").statusCode());
            }
            final String key = AdminFixture.API_KEY;
            assertEquals(201, f.call("POST", "/api/backends", key, "{\"url\":\"" + b.url() + "\"}").statusCode());
            assertEquals(200, f.call("POST", "/api/backends/drain", key, "{\"url\":\"" + b.url() + "\"}")
                    .statusCode());
            // The file now lists both backends: a keeps its state, b keeps its operator-set drain.
            f.rewrite(kind, config(a.url(), 0).replace("          - url: " + a.url() + "\n",
                    "          - url: " + a.url() + "\n          - url: " + b.url() + "\n"));
            assertEquals(200, f.call("POST", "/api/reload", key, null).statusCode());
            final JsonNode backends = AdminFixture.json(f.call("GET", "/api/backends", key, null));
            assertEquals(5, backends.get(0).get("requests").asLong(), backends::toString);
            assertEquals(5, backends.get(0).get("responses").get("2xx").asLong(), backends::toString);
            assertTrue(backends.get(1).get("drained").asBoolean(), backends::toString);
            for (int i = 0; i < 4; i++) {
                assertEquals("a GET /y", f.get("/y").body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void reloadingEveryHundredMillisecondsUnderLoadFailsNoRequest(TransportKind kind) throws Exception {
        try (AdminFixture f = AdminFixture.start(kind, dir, config(a.url(), 0))) {
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicLong ok = new AtomicLong();
            final AtomicReference<String> failure = new AtomicReference<>();
            final Thread[] clients = new Thread[2];
            for (int t = 0; t < clients.length; t++) {
                clients[t] = new Thread(() -> {
                    while (running.get() && failure.get() == null) {
                        try {
                            final HttpResponse<String> r = f.client.send(HttpRequest.newBuilder(f.proxy("/load"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                failure.compareAndSet(null, r.statusCode() + " " + r.body());
                            }
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e.toString());
                        }
                    }
                });
                clients[t].start();
            }
            int reloads = 0;
            for (int i = 0; i < 20; i++) {
                f.rewrite(kind, config(i % 2 == 0 ? b.url() : a.url(), 0));
                final HttpResponse<String> r = f.call("POST", "/api/reload", AdminFixture.API_KEY, null);
                assertEquals(200, r.statusCode(), r.body());
                reloads++;
                Thread.sleep(100);
            }
            running.set(false);
            for (Thread client : clients) {
                client.join(10_000);
            }
            assertEquals(null, failure.get());
            assertEquals(20, reloads);
            assertTrue(ok.get() > 100, "requests served: " + ok.get());
            System.out.println("reload under load (" + kind.configName() + "): " + reloads + " reloads, "
                    + ok.get() + " requests, 0 failed");
        }
    }

    @Test
    void fileWatchReloadsWhenTheFileChanges() throws Exception {
        final TransportKind kind = TransportKind.NIO;
        final String watched = config(a.url(), 0).replace("api:\n", "api:\n  watch: true\n");
        try (AdminFixture f = AdminFixture.start(kind, dir, watched)) {
            assertEquals("a GET /w", f.get("/w").body());
            f.rewrite(kind, config(b.url(), 0).replace("api:\n", "api:\n  watch: true\n"));
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String body = f.get("/w").body();
            while (!body.startsWith("b") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                body = f.get("/w").body();
            }
            assertEquals("b GET /w", body);
        }
    }
}
