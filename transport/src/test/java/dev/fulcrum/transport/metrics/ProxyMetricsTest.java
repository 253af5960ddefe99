package dev.fulcrum.transport.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.PrometheusText;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scrape after real traffic counts exactly what was sent, per backend, status class and latency bucket, and what
 * resilience did to it: ejections, open circuits, 429s and refused retries.
 */
@Timeout(60)
class ProxyMetricsTest {

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void scrapeCountsTrafficByBackendAndStatusClass(TransportKind kind) throws Exception {
        try (TestOrigin a = new TestOrigin("a"); TestOrigin b = new TestOrigin("b");
             ProxyFixture proxy = ProxyFixture.over(kind, "retries: 0", a.url(), b.url())) {
            for (int i = 0; i < 10; i++) {
                assertEquals(200, proxy.get("/ok/" + i).statusCode());
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(503, proxy.get("/status/503").statusCode());
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(404, proxy.get("/status/404").statusCode());
            }
            final PrometheusText scrape = new PrometheusText(new String(
                    proxy.server().context().metrics().scrapeText(), StandardCharsets.UTF_8));

            assertEquals(10, scrape.sum("fulcrum_requests_total", "code", "2xx"), scrape::toString);
            assertEquals(4, scrape.sum("fulcrum_requests_total", "code", "5xx"), scrape::toString);
            assertEquals(2, scrape.sum("fulcrum_requests_total", "code", "4xx"), scrape::toString);
            // Round robin over two backends: each served half.
            assertEquals(8, scrape.sum("fulcrum_requests_total", "backend", a.url()), scrape::toString);
            assertEquals(8, scrape.sum("fulcrum_requests_total", "backend", b.url()), scrape::toString);
            assertEquals(16, scrape.sum("fulcrum_upstream_latency_seconds_count"), scrape::toString);
            assertEquals(16, scrape.sum("fulcrum_upstream_latency_seconds_bucket", "le", "+Inf"), scrape::toString);
            assertTrue(scrape.sum("fulcrum_upstream_latency_seconds_sum") > 0, scrape::toString);
            assertEquals(0, scrape.sum("fulcrum_backend_in_flight"), scrape::toString);
            assertEquals(2, scrape.sum("fulcrum_backend_up"), scrape::toString);
            assertTrue(scrape.has("fulcrum_client_connections"), scrape::toString);
            assertTrue(scrape.has("netty_allocator_used_bytes"), scrape::toString);
            assertTrue(scrape.has("fulcrum_event_loop_pending_tasks"), scrape::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void countsRetriesAgainstTheBackendThatFailedAndUnroutedRequests(TransportKind kind) throws Exception {
        final int dead = ProxyFixture.freePort();
        try (TestOrigin a = new TestOrigin("a")) {
            final String yaml = "services:\n  - name: s\n    host: s.test\n    port: {port}\n    locations:\n"
                    + "      - path: /\n        lb_policy: round-robin\n        backends:\n"
                    + "          - url: http://127.0.0.1:" + dead + "\n          - url: " + a.url() + "\n";
            try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
                for (int i = 0; i < 6; i++) {
                    raw.send("GET /x HTTP/1.1\r\nHost: s.test\r\n\r\n");
                    assertEquals(200, raw.readResponse(false).status);
                }
                assertEquals(404, proxy.get("/x").statusCode()); // Host 127.0.0.1: no such service
                final PrometheusText scrape = new PrometheusText(new String(
                        proxy.server().context().metrics().scrapeText(), StandardCharsets.UTF_8));
                // Every failed try of the dead backend was retried on the live one, and charged to the dead one.
                final double retried = scrape.sum("fulcrum_retries_total", "backend", "http://127.0.0.1:" + dead);
                assertTrue(retried >= 3, () -> "retries " + retried);
                assertEquals(6, scrape.sum("fulcrum_requests_total", "backend", a.url(), "code", "2xx"),
                        scrape::toString);
                assertEquals(1, scrape.sum("fulcrum_requests_total", "backend", "none", "code", "4xx"),
                        scrape::toString);
                assertEquals(retried, scrape.sum("fulcrum_backend_failures_total", "backend",
                        "http://127.0.0.1:" + dead));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void scrapeReportsEjectionsOpenCircuitsRateLimitsAndRefusedRetries(TransportKind kind) throws Exception {
        final AtomicInteger failingServed = new AtomicInteger();
        final HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", exchange -> {
            failingServed.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        failing.start();
        final String failingUrl = "http://127.0.0.1:" + failing.getAddress().getPort();
        final String deadUrl = "http://127.0.0.1:" + ProxyFixture.freePort();
        try (TestOrigin a = new TestOrigin("a"); TestOrigin b = new TestOrigin("b"); TestOrigin c = new TestOrigin("c")) {
            // No retry is ever allowed, so every refused connection to the dead backend is a refused retry.
            final String yaml = "retry_budget: {budget_percent: 0, min_retry_concurrency: 0}\nservices:\n"
                    + "  - name: cb\n    host: cb.test\n    port: {port}\n"
                    + "    circuit_breaker: {failure_threshold: 2, reset_timeout: 60s}\n"
                    + "    locations:\n      - path: /\n        lb_policy: round-robin\n        backends:\n"
                    + "          - url: " + failingUrl + "\n          - url: " + a.url() + "\n"
                    + "  - name: od\n    host: od.test\n    port: {port}\n"
                    + "    outlier_detection: {consecutive_failures: 2, base_ejection_time: 60s,"
                    + " max_ejection_percent: 50, panic_threshold: 0}\n"
                    + "    locations:\n      - path: /\n        lb_policy: round-robin\n        backends:\n"
                    + "          - url: " + deadUrl + "\n          - url: " + b.url() + "\n"
                    + "  - name: rl\n    host: rl.test\n    port: {port}\n"
                    + "    rate_limit: {requests_per_second: 0.01, burst: 3}\n"
                    + "    locations:\n      - path: /\n        backends:\n          - url: " + c.url() + "\n";
            try (ProxyFixture proxy = ProxyFixture.start(kind, yaml)) {
                // Circuit: the failing backend's 2nd 500 opens it; afterwards its turns are refused and go to a.
                int cb500 = 0;
                for (int i = 0; i < 10; i++) {
                    final int status = status(proxy, "cb.test", "/cb" + i);
                    cb500 += status == 500 ? 1 : 0;
                    assertTrue(status == 200 || status == 500, "cb status " + status);
                }
                assertEquals(2, cb500);
                assertEquals(2, failingServed.get(), "an open circuit let a request through");

                // Ejection: refused connections (each a retry the budget refuses: 502) until the backend is out.
                int od502 = 0;
                final long deadline = System.nanoTime() + 5_000_000_000L;
                while (scrape(proxy).sum("fulcrum_outlier_ejected", "backend", deadUrl) == 0) {
                    assertTrue(System.nanoTime() < deadline, "dead backend never ejected");
                    final int status = status(proxy, "od.test", "/od");
                    od502 += status == 502 ? 1 : 0;
                    Thread.sleep(5);
                }
                for (int i = 0; i < 6; i++) {
                    assertEquals(200, status(proxy, "od.test", "/od-ejected" + i));
                }

                // Rate limit: a burst of 3, then 429s.
                for (int i = 0; i < 8; i++) {
                    assertEquals(i < 3 ? 200 : 429, status(proxy, "rl.test", "/rl" + i));
                }

                final PrometheusText scrape = scrape(proxy);
                assertEquals(1, scrape.sum("fulcrum_circuit_breaker_state", "backend", failingUrl), scrape::toString);
                assertEquals(0, scrape.sum("fulcrum_circuit_breaker_state", "backend", a.url()), scrape::toString);
                assertEquals(1, scrape.sum("fulcrum_circuit_breaker_opened_total", "backend", failingUrl),
                        scrape::toString);
                // Round robin offers the failing backend every other turn: after the trip at least 4 of the 8
                // requests asked it first, and each of those was refused once.
                final double rejected = scrape.sum("fulcrum_circuit_breaker_rejections_total", "backend", failingUrl);
                assertTrue(rejected >= 4 && rejected <= 8, () -> "circuit rejections " + rejected);
                assertEquals(0, scrape.sum("fulcrum_circuit_breaker_rejections_total", "backend", a.url()));

                assertEquals(1, scrape.sum("fulcrum_outlier_ejections_total", "backend", deadUrl), scrape::toString);
                assertEquals(1, scrape.sum("fulcrum_outlier_ejected", "backend", deadUrl), scrape::toString);
                assertEquals(0, scrape.sum("fulcrum_outlier_ejected", "backend", b.url()), scrape::toString);
                assertEquals(0, scrape.sum("fulcrum_backend_up", "backend", deadUrl), scrape::toString);
                assertTrue(od502 >= 2, "502s before the ejection: " + od502);
                assertEquals(od502, scrape.sum("fulcrum_retry_budget_exhausted_total", "service", "od"),
                        scrape::toString);
                assertEquals(od502, scrape.sum("fulcrum_requests_total", "service", "od", "code", "5xx"),
                        scrape::toString);

                assertEquals(5, scrape.sum("fulcrum_rate_limited_total", "service", "rl", "location", "/"),
                        scrape::toString);
                assertEquals(5, scrape.sum("fulcrum_requests_total", "service", "rl", "code", "4xx"),
                        scrape::toString);
                assertEquals(0, scrape.sum("fulcrum_rate_limited_total", "service", "cb"), scrape::toString);
                assertEquals(3, c.seen().size(), "a 429 reached the origin");
            }
        } finally {
            failing.stop(0);
        }
    }

    private static int status(ProxyFixture proxy, String host, String path) throws IOException {
        try (RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            return raw.readResponse(false).status;
        }
    }

    private static PrometheusText scrape(ProxyFixture proxy) {
        return new PrometheusText(new String(proxy.server().context().metrics().scrapeText(), StandardCharsets.UTF_8));
    }
}
