package dev.fulcrum.transport.resilience;

import com.sun.net.httpserver.HttpServer;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * About a minute of closed-loop load through the proxy with every resilience feature on (active checks, outlier
 * detection, breakers, a rate limit, retry budget) and a flapping backend, under paranoid leak detection: the heap
 * after GC and the pooled direct memory must stay flat, and every request gets an answer.
 */
@Timeout(180)
class SoakTest {
    private static final long SOAK_MILLIS = 50_000;
    private static final int CLIENTS = 4;

    @Test
    void memoryStaysFlatUnderLoadWithAFlappingBackend() throws Exception {
        final TransportKind kind = TransportKind.EPOLL.isAvailable() ? TransportKind.EPOLL : TransportKind.NIO;
        final AtomicInteger flap = new AtomicInteger();
        final HttpServer flapping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flapping.setExecutor(Executors.newFixedThreadPool(4));
        flapping.createContext("/", exchange -> {
            // Healthy for 3 s, failing for 3 s: ejections, breaker trips and probes all keep happening.
            final boolean failing = (System.nanoTime() / 3_000_000_000L) % 2 == 0;
            flap.incrementAndGet();
            final byte[] body = "flap".getBytes();
            exchange.sendResponseHeaders(failing ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flapping.start();
        final String yaml = "health_check: {type: http, path: /health, interval: 200ms, timeout: 500ms}\n"
                + "outlier_detection: {consecutive_failures: 5, base_ejection_time: 500ms, max_ejection_percent: 50}\n"
                + "circuit_breaker: {failure_threshold: 10, reset_timeout: 300ms}\n"
                + "rate_limit: {requests_per_second: 100000, burst: 1000}\n"
                + "retry_budget: {per_try_timeout: 1s}\n";
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        try (TestOrigin a = new TestOrigin("a");
             TestOrigin b = new TestOrigin("b");
             ProxyFixture proxy = ProxyFixture.over(kind, yaml, a.url(), b.url(),
                     "http://127.0.0.1:" + flapping.getAddress().getPort())) {
            // TestOrigin records every request; its history is cleared before each heap sample.
            final Runnable forget = () -> {
                a.clearSeen();
                b.clearSeen();
            };
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            final long start = System.nanoTime();
            final long end = start + SOAK_MILLIS * 1_000_000L;
            final List<Thread> threads = new ArrayList<>();
            final AtomicLong failures = new AtomicLong();
            for (int t = 0; t < CLIENTS; t++) {
                final int id = t;
                final Thread thread = new Thread(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        final String path = (i++ % 5 == 0) ? "/size/20000" : "/c" + id;
                        try {
                            final HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(proxy.uri(path))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                }, "soak-" + t);
                thread.start();
                threads.add(thread);
            }
            Thread.sleep(10_000); // warm: pools, JIT, allocator arenas
            forget.run();
            final long heapWarm = heapAfterGc();
            final long directWarm = usedDirect();
            Thread.sleep(20_000);
            forget.run();
            final long heapMid = heapAfterGc();
            for (Thread thread : threads) {
                thread.join();
            }
            forget.run();
            final long heapEnd = heapAfterGc();
            final long directEnd = usedDirect();
            long total = 0;
            for (AtomicLong n : statuses.values()) {
                total += n.get();
            }
            System.out.printf("soak on %s: %d s, %d requests, statuses %s, client errors %d, flapping origin served %d;"
                            + " heap after GC %.1f MiB at 10 s, %.1f at 30 s, %.1f at end; allocator direct %.1f -> %.1f MiB;"
                            + " ejections %d, health transitions %d%n",
                    kind.configName(), SOAK_MILLIS / 1000, total, statuses, failures.get(), flap.get(),
                    heapWarm / 1048576.0, heapMid / 1048576.0, heapEnd / 1048576.0, directWarm / 1048576.0,
                    directEnd / 1048576.0,
                    proxy.server().health().ejections(), proxy.server().health().transitions());
            assertEquals(0, failures.get(), "requests without an answer");
            assertTrue(total > 1_000, "too little load: " + total);
            assertTrue(heapEnd - heapWarm < 48L * 1048576, "heap grew by " + (heapEnd - heapWarm) / 1048576 + " MiB");
            assertTrue(directEnd - directWarm <= 16L * 1048576,
                    "allocator direct memory grew by " + (directEnd - directWarm) / 1048576 + " MiB");
        } finally {
            flapping.stop(0);
        }
    }

    private static long usedDirect() {
        final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        return allocator instanceof ByteBufAllocatorMetricProvider
                ? ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory() : -1;
    }

    private static long heapAfterGc() throws InterruptedException {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
