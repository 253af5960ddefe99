package dev.fulcrum.bench.report;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH benchmark list the annotation processor writes (and the shade plugin copies into fulcrum.jar) names every
 * suite: without it {@code fulcrum jmh} finds nothing (a JDK 23+ javac ignores processors on the classpath).
 */
class BenchmarkListTest {
    /** A list line starts: JMH S len benchmarkClass S len generatedClass S len method ... */
    private static final Pattern ENTRY = Pattern.compile("^JMH S \\d+ (\\S+) S \\d+ \\S+ S \\d+ (\\S+) ");

    @Test
    void benchmarkListNamesEverySuite() throws Exception {
        final String list;
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Set<String> methods = new HashSet<>();
        final Set<String> classes = new HashSet<>();
        for (String line : list.split("\n")) {
            final Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                classes.add(m.group(1));
                methods.add(m.group(1) + "." + m.group(2));
            }
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
                "dev.fulcrum.bench.jmh.transport.ForwardingPathBenchmark.forward")) {
            assertTrue(methods.contains(benchmark), benchmark + " not in META-INF/BenchmarkList: " + methods);
        }
        // The algorithm suites belong to the algorithms work; only their presence is checked here.
        assertTrue(classes.contains("dev.fulcrum.bench.jmh.algorithms.SelectorBenchmark"), classes.toString());
        assertTrue(classes.contains("dev.fulcrum.bench.jmh.algorithms.TableBuildBenchmark"), classes.toString());
    }
}
