package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.PrometheusText;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API end to end over real sockets: authentication, roles, every endpoint and its effect on routing. */
@Timeout(60)
class AdminApiTest {
    private static final TransportKind KIND = TransportKind.NIO;
    @TempDir
    Path dir;
    private TestOrigin a;
    private TestOrigin b;
    private TestOrigin c;

    @BeforeEach
    void origins() throws Exception {
        a = new TestOrigin("a");
        b = new TestOrigin("b");
        c = new TestOrigin("c");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        c.close();
    }

    private String yaml() {
        return AdminFixture.adminYaml("") + "services:\n  - name: web\n    port: {port}\n    locations:\n"
                + "      - path: /\n        lb_policy: round-robin\n        backends:\n"
                + "          - url: " + a.url() + "\n          - url: " + b.url() + "\n";
    }

    @Test
    void nothingAnswersWithoutCredentialsButLoginAndLiveness() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            assertEquals(200, f.call("GET", "/healthz", null, null).statusCode());
            for (String path : List.of("/api/services", "/api/backends", "/api/health", "/api/stats", "/metrics",
                    "/api/config", "/api/locations")) {
                final HttpResponse<String> r = f.call("GET", path, null, null);
                assertEquals(401, r.statusCode(), path);
                assertEquals("missing or invalid bearer token", AdminFixture.json(r).get("error").asText());
            }
            assertEquals(401, f.call("POST", "/api/reload", "not-a-token", null).statusCode());
            final String forged = com.auth0.jwt.JWT.create().withIssuer("fulcrum").withSubject("root")
                    .withClaim("role", "admin").withClaim("typ", "access")
                    .withExpiresAt(java.time.Instant.now().plusSeconds(60))
                    .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("another secret of at least 32 bytes!!"));
            assertEquals(401, f.call("GET", "/api/services", forged, null).statusCode(), "wrong signing key");
            assertEquals(401, f.call("POST", "/api/auth/login", null,
                    "{\"username\":\"root\",\"password\":\"wrong\"}").statusCode());
            assertEquals(401, f.call("POST", "/api/auth/login", null,
                    "{\"username\":\"nobody\",\"password\":\"x\"}").statusCode());
            assertEquals(400, f.call("POST", "/api/auth/login", null, "{not json").statusCode());
        }
    }

    @Test
    void readerMayLookButNotChange() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            final String reader = f.login("viewer", AdminFixture.READER_PASSWORD);
            final HttpResponse<String> list = f.call("GET", "/api/backends?service_name=web&path=/", reader, null);
            assertEquals(200, list.statusCode(), list.body());
            assertEquals(2, AdminFixture.json(list).size());
            final HttpResponse<String> add = f.call("POST", "/api/backends", reader, "{\"url\":\"" + c.url() + "\"}");
            assertEquals(403, add.statusCode(), add.body());
            assertEquals(403, f.call("POST", "/api/reload", reader, null).statusCode());
            assertEquals(403, f.call("PUT", "/api/config", reader, "{\"algorithm\":\"random\"}").statusCode());
            assertEquals(403, f.call("POST", "/api/backends/drain", reader, "{\"url\":\"" + a.url() + "\"}")
                    .statusCode());
        }
    }

    @Test
    void addUpdateDrainAndRemoveABackendChangeRouting() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            final String admin = f.login("root", AdminFixture.ADMIN_PASSWORD);
            final HttpResponse<String> added = f.call("POST", "/api/backends?service_name=web&path=/", admin,
                    "{\"url\":\"" + c.url() + "\",\"weight\":1,\"max_connections\":10}");
            assertEquals(201, added.statusCode(), added.body());
            assertEquals(c.url(), AdminFixture.json(added).get("url").asText());
            assertEquals(409, f.call("POST", "/api/backends", admin, "{\"url\":\"" + c.url() + "\"}").statusCode());
            assertEquals(404, f.call("POST", "/api/backends?service_name=nope", admin,
                    "{\"url\":\"" + c.url() + "\"}").statusCode());
            assertEquals(404, f.call("POST", "/api/backends?path=/nope", admin,
                    "{\"url\":\"" + c.url() + "\"}").statusCode());
            assertEquals(400, f.call("POST", "/api/backends", admin, "{\"url\":\"ftp://x\"}").statusCode());
            assertEquals(400, f.call("POST", "/api/backends", admin, "{\"url\":\"http://127.0.0.1:1\",\"weight\":-1}")
                    .statusCode());
            assertEquals(400, f.call("POST", "/api/backends", admin, "{\"url\":\"http://127.0.0.1:1\",\"weight\":2000000}")
                    .statusCode());
            assertEquals(Set.of("a", "b", "c"), servedBy(f, 9));

            final HttpResponse<String> updated = f.call("PUT", "/api/backends", admin,
                    "{\"url\":\"" + c.url() + "\",\"weight\":3}");
            assertEquals(200, updated.statusCode(), updated.body());
            assertEquals(3, AdminFixture.json(updated).get("weight").asInt());
            assertEquals(404, f.call("PUT", "/api/backends", admin, "{\"url\":\"http://127.0.0.1:1\"}")
                    .statusCode());

            final HttpResponse<String> drained = f.call("POST", "/api/backends/drain", admin,
                    "{\"url\":\"" + a.url() + "\"}");
            assertEquals(200, drained.statusCode(), drained.body());
            assertTrue(AdminFixture.json(drained).get("drained").asBoolean());
            assertFalse(servedBy(f, 12).contains("a"), "a drained");
            assertEquals(200, f.call("POST", "/api/backends/undrain", admin, "{\"url\":\"" + a.url() + "\"}")
                    .statusCode());
            assertTrue(servedBy(f, 12).contains("a"), "a undrained");

            assertEquals(204, f.call("DELETE", "/api/backends", admin, "{\"url\":\"" + c.url() + "\"}")
                    .statusCode());
            assertEquals(404, f.call("DELETE", "/api/backends", admin, "{\"url\":\"" + c.url() + "\"}")
                    .statusCode());
            assertEquals(Set.of("a", "b"), servedBy(f, 8));
            final JsonNode backends = AdminFixture.json(f.call("GET", "/api/backends", admin, null));
            assertEquals(2, backends.size());
            final JsonNode first = backends.get(0);
            for (String field : List.of("id", "url", "alive", "in_flight", "latency_ewma_ms", "requests", "failures",
                    "responses", "errors", "drained", "weight", "max_connections")) {
                assertTrue(first.has(field), field + " in " + first);
            }
            assertTrue(first.get("requests").asLong() > 0, first::toString);
        }
    }

    @Test
    void changingAlgorithmAndMaxConnectionsTakesEffect() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            final String admin = f.login("root", AdminFixture.ADMIN_PASSWORD);
            assertEquals(Set.of("a", "b"), servedBy(f, 6));
            final HttpResponse<String> put = f.call("PUT", "/api/config?service_name=web&path=/", admin,
                    "{\"algorithm\":\"ip-hash\"}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("ip-hash", AdminFixture.json(put).get("algorithm").asText());
            assertEquals(1, servedBy(f, 10).size(), "ip-hash sends one client to one backend");
            assertEquals(400, f.call("PUT", "/api/config", admin, "{\"algorithm\":\"no-such\"}").statusCode());
            assertEquals("ip-hash", AdminFixture.json(f.call("GET", "/api/config", admin, null))
                    .get("algorithm").asText(), "a refused change changes nothing");

            assertEquals(200, f.call("PUT", "/api/config", admin,
                    "{\"algorithm\":\"round-robin\",\"max_connections\":1}").statusCode());
            // Two backends with one slot each: a third concurrent slow request finds nothing eligible.
            final List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(f.client.sendAsync(java.net.http.HttpRequest.newBuilder(f.proxy("/slow/800")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int unavailable = 0;
            for (CompletableFuture<HttpResponse<String>> r : slow) {
                if (r.get().statusCode() == 503) {
                    unavailable++;
                }
            }
            assertEquals(1, unavailable);
        }
    }

    @Test
    void refreshTokensWorkOnceAndApiKeysAuthenticate() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            final HttpResponse<String> login = f.call("POST", "/api/auth/login", null,
                    "{\"username\":\"root\",\"password\":\"" + AdminFixture.ADMIN_PASSWORD + "\"}");
            final JsonNode tokens = AdminFixture.json(login);
            assertEquals("admin", tokens.get("role").asText());
            assertEquals("Bearer", tokens.get("type").asText());
            final String refresh = tokens.get("refresh_token").asText();
            assertEquals(401, f.call("GET", "/api/services", refresh, null).statusCode(),
                    "a refresh token is not an access token");
            final HttpResponse<String> refreshed = f.call("POST", "/api/auth/refresh", null,
                    "{\"refresh_token\":\"" + refresh + "\"}");
            assertEquals(200, refreshed.statusCode(), refreshed.body());
            final String newAccess = AdminFixture.json(refreshed).get("token").asText();
            assertNotEquals(tokens.get("token").asText(), newAccess);
            assertEquals(200, f.call("GET", "/api/services", newAccess, null).statusCode());
            assertEquals(401, f.call("POST", "/api/auth/refresh", null,
                    "{\"refresh_token\":\"" + refresh + "\"}").statusCode(), "refresh tokens are single use");

            final HttpResponse<String> services = f.call("GET", "/api/services", AdminFixture.API_KEY, null);
            assertEquals(200, services.statusCode());
            assertEquals("web", AdminFixture.json(services).get(0).get("name").asText());
            assertEquals(200, f.call("GET", "/api/health", AdminFixture.API_KEY, null).statusCode());
            final JsonNode stats = AdminFixture.json(f.call("GET", "/api/stats", AdminFixture.API_KEY, null));
            assertEquals(2, stats.get("locations").get(0).get("active_backends").asInt());
        }
    }

    @Test
    void lockedOutAfterFiveFailedLogins() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            for (int i = 0; i < AdminAuth.MAX_FAILED_LOGINS; i++) {
                assertEquals(401, f.call("POST", "/api/auth/login", null,
                        "{\"username\":\"root\",\"password\":\"guess" + i + "\"}").statusCode());
            }
            assertEquals(403, f.call("POST", "/api/auth/login", null,
                    "{\"username\":\"root\",\"password\":\"" + AdminFixture.ADMIN_PASSWORD + "\"}").statusCode());
        }
    }

    @Test
    void metricsScrapeMatchesTheTrafficSent() throws Exception {
        try (AdminFixture f = AdminFixture.start(KIND, dir, yaml())) {
            for (int i = 0; i < 7; i++) {
                assertEquals(200, f.get("/x").statusCode());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(500, f.get("/status/500").statusCode());
            }
            final String reader = f.login("viewer", AdminFixture.READER_PASSWORD);
            final HttpResponse<String> scrape = f.call("GET", "/metrics", reader, null);
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            final PrometheusText text = new PrometheusText(scrape.body());
            assertEquals(7, text.sum("fulcrum_requests_total", "service", "web", "code", "2xx"));
            assertEquals(3, text.sum("fulcrum_requests_total", "service", "web", "code", "5xx"));
            assertEquals(10, text.sum("fulcrum_upstream_latency_seconds_count", "service", "web"));
        }
    }

    @Test
    void allowlistUsesTheSocketAddressAndIgnoresSpoofedForwardedFor() throws Exception {
        final String denied = AdminFixture.adminYaml("  allowed_ips: [10.0.0.0/8]\n")
                + "backends:\n  - url: " + a.url() + "\nport: {port}\n";
        try (AdminFixture f = AdminFixture.start(KIND, dir, denied)) {
            final java.net.http.HttpRequest spoofed = java.net.http.HttpRequest.newBuilder(f.admin("/api/services"))
                    .header("X-Forwarded-For", "10.1.2.3").header("Authorization", "Bearer " + AdminFixture.API_KEY)
                    .build();
            final HttpResponse<String> r = f.client.send(spoofed, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), "127.0.0.1 is not in 10.0.0.0/8, whatever the header says");
            assertEquals(403, f.call("POST", "/api/auth/login", null, "{}").statusCode());
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        final String trusted = AdminFixture.adminYaml("  allowed_ips: [10.0.0.0/8]\n  trusted_proxies: [127.0.0.1]\n")
                + "backends:\n  - url: " + a.url() + "\nport: {port}\n";
        try (AdminFixture f = AdminFixture.start(KIND, dir, trusted)) {
            assertEquals(200, callFrom(f, "10.1.2.3").statusCode());
            assertEquals(403, callFrom(f, "192.168.1.1").statusCode());
            assertEquals(403, callFrom(f, "10.9.9.9, 192.168.1.1").statusCode(),
                    "the right-most untrusted hop is the client; the left part is the client's to invent");
            assertEquals(403, f.call("GET", "/api/services", AdminFixture.API_KEY, null).statusCode(),
                    "no header: the proxy itself is the client");
        }
    }

    private static HttpResponse<String> callFrom(AdminFixture f, String forwardedFor) throws Exception {
        return f.client.send(java.net.http.HttpRequest.newBuilder(f.admin("/api/services"))
                .header("X-Forwarded-For", forwardedFor).header("Authorization", "Bearer " + AdminFixture.API_KEY)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Which origins answered {@code n} requests. */
    private static Set<String> servedBy(AdminFixture f, int n) throws Exception {
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            final HttpResponse<String> r = f.get("/who");
            assertEquals(200, r.statusCode(), r.body());
            names.add(r.body().substring(0, r.body().indexOf(' ')));
        }
        return names;
    }
}
