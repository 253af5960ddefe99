package dev.fulcrum.bench.report;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH benchmark list the annotation processor writes (and the shade plugin copies into fulcrum.jar) names every
 * suite: without it {@code fulcrum jmh} finds nothing (a JDK 23+ javac ignores processors on the classpath).
 */
class BenchmarkListTest {
    @Test
    void benchmarkListNamesEverySuite() throws Exception {
        final String list;
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String benchmark : List.of(
                "dev.fulcrum.bench.jmh.core.SnapshotSwapBenchmark.updateBackends",
                "dev.fulcrum.bench.jmh.core.SnapshotSwapBenchmark.markAlive",
                "dev.fulcrum.bench.jmh.core.SnapshotSwapBenchmark.readSnapshot",
                "dev.fulcrum.bench.jmh.core.RouteLookupBenchmark.route",
                "dev.fulcrum.bench.jmh.core.UrlRewriteBenchmark.rewrite",
                "dev.fulcrum.bench.jmh.transport.BufferPoolBenchmark.directAllocateRelease",
                "dev.fulcrum.bench.jmh.transport.BufferPoolBenchmark.heapAllocateRelease",
                "dev.fulcrum.bench.jmh.transport.HttpCodecBenchmark.decodeRequest",
                "dev.fulcrum.bench.jmh.transport.HttpCodecBenchmark.encodeResponse",
                "dev.fulcrum.bench.jmh.transport.ForwardingPathBenchmark.forward",
                "dev.fulcrum.bench.jmh.algorithms.SelectorBenchmark",
                "dev.fulcrum.bench.jmh.algorithms.TableBuildBenchmark")) {
            assertTrue(list.contains(benchmark), benchmark + " not in META-INF/BenchmarkList");
        }
    }
}
