package dev.fulcrum.transport.resilience;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-try timeouts retry safe requests on another backend; the retry budget can forbid retries. */
@Timeout(60)
class RetryBudgetProxyTest {
    private TestOrigin fast;
    private HttpServer hanging;
    private final AtomicInteger hangingSeen = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startOrigins() throws Exception {
        fast = new TestOrigin("fast");
        hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hanging.setExecutor(Executors.newCachedThreadPool());
        hanging.createContext("/", exchange -> {
            hangingSeen.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hanging.start();
    }

    @AfterEach
    void stopOrigins() {
        release.countDown();
        fast.close();
        hanging.stop(0);
    }

    private String hangingUrl() {
        return "http://127.0.0.1:" + hanging.getAddress().getPort();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void retriesAnIdempotentRequestOnAnotherBackendAfterThePerTryTimeoutButNotAPost(TransportKind kind)
            throws Exception {
        final String yaml = "retry_budget: {per_try_timeout: 300ms}\ntimeouts: {response: 10s}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, hangingUrl(), fast.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            final long start = System.nanoTime();
            raw.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response response = raw.readResponse(false);
            final long millis = (System.nanoTime() - start) / 1_000_000L;
            assertEquals(200, response.status);
            assertTrue(response.body.startsWith("fast"), response.body);
            assertEquals(1, hangingSeen.get());
            assertTrue(millis >= 250 && millis < 3_000, "answered after " + millis + " ms");

            // Round robin sends the next request to the hanging backend first again; a POST is not retried.
            try (RawHttp post = new RawHttp(proxy.port())) {
                post.send("POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
                final RawHttp.Response timedOut = post.readResponse(false);
                assertEquals(504, timedOut.status);
                assertTrue(timedOut.body.contains("per-try timeout"), timedOut.body);
            }
            assertEquals(0, fast.seen().stream().filter(s -> s.method().equals("POST")).count());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void anExhaustedBudgetAnswersTheFailureInsteadOfRetrying(TransportKind kind) throws Exception {
        final String dead = "http://127.0.0.1:" + ProxyFixture.freePort();
        final String yaml = "retry_budget: {budget_percent: 0, min_retry_concurrency: 0}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, dead, fast.url())) {
            assertEquals(502, proxy.get("/to-dead").statusCode(), "no budget: the refusal is not retried");
            assertEquals(200, proxy.get("/to-fast").statusCode());
        }
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", dead, fast.url())) {
            assertEquals(200, proxy.get("/to-dead").statusCode(), "the default budget (floor 3) retries");
        }
    }
}
