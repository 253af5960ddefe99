package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every algorithm, selected by {@code lb_policy} in YAML, serving real requests through the running proxy to three
 * real origins of weights 1, 2 and 3, and showing the distribution it promises. Requests are sequential on one
 * keep-alive connection, so no backend ever has a request in flight when the next is placed.
 */
@Timeout(120)
class AlgorithmsEndToEndTest {
    private static final int REQUESTS = 600;
    private static final TransportKind KIND = TransportKind.NIO;   // the algorithms do not depend on the transport

    private final List<TestOrigin> origins = new ArrayList<>();

    static Stream<String> algorithms() {
        return SelectorFactory.algorithms().stream();
    }

    @BeforeEach
    void startOrigins() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            origins.add(new TestOrigin(name));
        }
    }

    @AfterEach
    void stopOrigins() {
        origins.forEach(TestOrigin::close);
    }

    private String yaml(String algorithm, String lbOptions) {
        final StringBuilder y = new StringBuilder("services:\n  - name: app\n    port: {port}\n    locations:\n"
                + "      - path: /\n        lb_policy: " + algorithm + "\n");
        if (!lbOptions.isEmpty()) {
            y.append("        lb_options: ").append(lbOptions).append('\n');
        }
        y.append("        backends:\n");
        for (int i = 0; i < origins.size(); i++) {
            y.append("          - url: ").append(origins.get(i).url()).append("\n            weight: ").append(i + 1)
                    .append('\n');
        }
        return y.toString();
    }

    /** Sends one GET and returns the serving origin's name (the first word of TestOrigin's answer). */
    private static HttpResponse<String> send(ProxyFixture proxy, String path, String... headers) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        final HttpResponse<String> response = proxy.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response;
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.body().substring(0, response.body().indexOf(' '));
    }

    private static Map<String, Integer> count(List<String> served) {
        final Map<String, Integer> counts = new HashMap<>(Map.of("a", 0, "b", 0, "c", 0));
        served.forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void servesThroughTheProxyWithTheDistributionItPromises(String algorithm) throws Exception {
        final String options = switch (algorithm) {
            case "consistent-hash", "bounded-load" -> "{hash_key: \"header:X-User\"}";
            case "maglev" -> "{hash_key: \"cookie:sid\", maglev_table_size: 1009}";
            case "sticky-session" -> "{sticky: {cookie: srv, fallback: round-robin}}";
            case "adaptive" -> "{adaptive: {candidates: [round-robin, weighted-round-robin], window: 1h}}";
            default -> "";
        };
        try (ProxyFixture proxy = ProxyFixture.start(KIND, yaml(algorithm, options))) {
            final List<String> served = new ArrayList<>();
            final Map<String, String> byUser = new HashMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                final String user = "user-" + (i % 60);
                final HttpResponse<String> r = send(proxy, "/r/" + i, "X-User", user, "Cookie", "sid=" + user);
                final String origin = servedBy(r);
                served.add(origin);
                if (algorithm.equals("consistent-hash") || algorithm.equals("bounded-load")
                        || algorithm.equals("maglev")) {
                    final String first = byUser.putIfAbsent(user, origin);
                    assertTrue(first == null || first.equals(origin), user + " moved from " + first + " to " + origin);
                }
                if (algorithm.equals("sticky-session")) {
                    assertTrue(r.headers().firstValue("set-cookie").isPresent(), "no cookie sent: issued each time");
                }
            }
            final Map<String, Integer> c = count(served);
            System.out.printf("e2e %s: a=%d b=%d c=%d%n", algorithm, c.get("a"), c.get("b"), c.get("c"));
            assertShape(algorithm, c, served);
        }
    }

    private static void assertShape(String algorithm, Map<String, Integer> c, List<String> served) {
        final int a = c.get("a");
        final int b = c.get("b");
        final int cc = c.get("c");
        switch (algorithm) {
            case "round-robin", "sticky-session" -> {
                // Strict rotation (sticky's fallback, as no request carried its cookie): exact thirds.
                assertEquals(List.of(200, 200, 200), List.of(a, b, cc));
            }
            case "weighted-round-robin", "adaptive" -> {
                // Smooth WRR is exact per period of 6; adaptive's first candidate is round robin, its second WRR,
                // and a 1 h window keeps round robin for the whole test.
                if (algorithm.equals("adaptive")) {
                    assertEquals(List.of(200, 200, 200), List.of(a, b, cc));
                } else {
                    assertEquals(List.of(100, 200, 300), List.of(a, b, cc));
                    assertEquals(List.of("c", "b", "a", "c", "b", "c"), served.subList(0, 6), "interleaved");
                }
            }
            case "weighted-random" -> {
                // By weight: 100 / 200 / 300 expected, binomial sd about 9 / 12 / 12.
                assertTrue(a > 60 && a < 140 && b > 150 && b < 250 && cc > 250 && cc < 350, c.toString());
            }
            case "weighted-power-of-two-choices" -> {
                // Two draws by weight, the heavier wins between idle backends: a only when both draws are a
                // (1/36), b with 8/36, c with 27/36: about 17 / 133 / 450.
                assertTrue(a < 45 && b > 95 && b < 175 && cc > 400, c.toString());
            }
            case "random", "least-connections", "power-of-two-choices" -> {
                // Unweighted: about 200 each (ties among idle backends are broken at random).
                for (int n : List.of(a, b, cc)) {
                    assertTrue(n > 140 && n < 260, c.toString());
                }
            }
            case "weighted-least-connections" -> {
                // (in-flight + 1) / weight: with every backend idle the heaviest wins every time.
                assertEquals(REQUESTS, cc, c.toString());
            }
            case "least-response-time" -> {
                // Backends without a latency sample are tried first: the first three requests meet all three.
                assertEquals(3, new java.util.HashSet<>(served.subList(0, 3)).size(), served.subList(0, 3).toString());
            }
            case "ip-hash" -> {
                // Every request comes from 127.0.0.1: one backend takes them all.
                assertTrue(a == REQUESTS || b == REQUESTS || cc == REQUESTS, c.toString());
            }
            case "consistent-hash", "bounded-load", "maglev" -> {
                // 60 users hashed by header or cookie: stable per user (checked above) and spread over all three.
                assertTrue(a > 0 && b > 0 && cc > 0, c.toString());
            }
            default -> throw new AssertionError("no expectation written for " + algorithm);
        }
    }

    @Test
    void stickyCookieKeepsAClientOnItsBackendAndIsReissuedWhenThatBackendDies() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(KIND, yaml("sticky-session", "{sticky: {cookie: srv}}"))) {
            final HttpResponse<String> first = send(proxy, "/login");
            final String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
            assertTrue(setCookie.matches("srv=b[0-9a-f]{8}; Path=/; HttpOnly; SameSite=Lax"), setCookie);
            assertFalse(setCookie.contains("127.0.0.1"), "the cookie must not reveal the backend URL");
            final String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            final String home = servedBy(first);
            for (int i = 0; i < 20; i++) {
                final HttpResponse<String> r = send(proxy, "/page/" + i, "Cookie", "theme=dark; " + cookie);
                assertEquals(home, servedBy(r));
                assertNull(r.headers().firstValue("set-cookie").orElse(null), "cookie already right: not reissued");
            }
            final ServerPool pool = proxy.server().context().routing().allPools().get(0);
            final String homeUrl = origins.stream().filter(o -> o.name().equals(home)).findFirst().orElseThrow().url();
            pool.markAlive(homeUrl, false);
            final HttpResponse<String> moved = send(proxy, "/page/x", "Cookie", cookie);
            assertNotEquals(home, servedBy(moved));
            final String reissued = moved.headers().firstValue("set-cookie").orElseThrow();
            assertNotEquals(setCookie, reissued);
            final String newCookie = reissued.substring(0, reissued.indexOf(';'));
            assertEquals(servedBy(moved), servedBy(send(proxy, "/page/y", "Cookie", newCookie)));
        }
    }

    @Test
    void slowStartRampsARevivedBackendThroughTheRunningProxy() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(KIND, yaml("weighted-round-robin", "{slow_start: 1s}"))) {
            final ServerPool pool = proxy.server().context().routing().allPools().get(0);
            pool.markAlive(origins.get(2).url(), false);
            pool.markAlive(origins.get(2).url(), true);
            assertEquals(3, pool.snapshot().weight(2), "c restarts at 1 % of its weight (3 x 100 while ramping)");
            assertEquals(100, pool.snapshot().weight(0));
            // The last tick of the window may already round to the full 300, so look for any weight in between.
            final List<Integer> seen = new ArrayList<>();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (pool.snapshot().weight(0) != 1 && System.nanoTime() < deadline) {
                final int weight = pool.snapshot().weight(2);
                if (seen.isEmpty() || seen.get(seen.size() - 1) != weight) {
                    seen.add(weight);
                }
                Thread.sleep(20);
            }
            assertTrue(seen.stream().anyMatch(w -> w > 3 && w < 300), "no intermediate weight seen: " + seen);
            assertEquals(List.of(1, 2, 3), List.of(pool.snapshot().weight(0), pool.snapshot().weight(1),
                    pool.snapshot().weight(2)), "ramp over: plain weights published by the ticker");
            final List<String> served = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                served.add(servedBy(send(proxy, "/after/" + i)));
            }
            assertEquals(30, count(served).get("c"), "full weight again");
        }
    }
}
