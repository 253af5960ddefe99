package dev.fulcrum.bench.jmh.algorithms;

import dev.fulcrum.algorithms.select.RequestKey;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The worst case of the O(n) algorithms: no backend is idle (in-flight 1..8), so least-connections cannot stop at
 * the first idle backend and scans all of them. {@link SelectorBenchmark} has one backend in eight idle, the common
 * case under moderate load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FullScanBenchmark {
    @Param({"least-connections", "weighted-least-connections", "least-response-time"})
    public String algorithm;

    @Param({"1024"})
    public int backends;

    private Selector selector;
    private BackendSnapshot snapshot;

    @Setup
    public void setUp() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < backends; i++) {
            final BackendState state = new BackendState("b" + i,
                    BackendAddress.parse("http://10.0.0." + (i % 250) + ":" + (8000 + i)));
            for (int f = 0; f <= i % 8; f++) {
                state.tryAcquire(Integer.MAX_VALUE);
            }
            builder.add(state, 1 + i % 4, 1_000_000);
        }
        snapshot = builder.version(1).build();
        selector = SelectorFactory.create(algorithm);
        selector.prepare(snapshot);
        for (int i = 0; i < backends; i++) {
            selector.onResponse(snapshot.state(i), 1_000_000L + 10_000L * i, true);
        }
    }

    @Benchmark
    public int select() {
        return selector.select(snapshot, RequestKey.NONE);
    }
}
