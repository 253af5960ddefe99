package dev.fulcrum.transport.metrics;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.PrometheusText;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scrape after real traffic counts exactly what was sent, per backend, status class and latency bucket. */
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
}
