package dev.fulcrum.bench.jmh.algorithms;

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
 * What one snapshot publication costs the control thread, per algorithm: building the immutable snapshot and the
 * algorithm's tables for it ({@link Selector#prepare}), as {@code ServerPool.publish} does. A fresh selector each
 * time, so no derived-table cache answers. Algorithms without tables measure the snapshot build alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SnapshotPublishBenchmark {
    @Param({"round-robin", "weighted-round-robin", "least-connections", "weighted-least-connections", "random",
            "weighted-random", "power-of-two-choices", "weighted-power-of-two-choices", "ip-hash", "consistent-hash",
            "maglev", "bounded-load", "least-response-time", "sticky-session", "adaptive"})
    public String algorithm;

    @Param({"1024"})
    public int backends;

    private BackendState[] states;

    @Setup
    public void setUp() {
        states = new BackendState[backends];
        for (int i = 0; i < backends; i++) {
            states[i] = new BackendState("b" + i, BackendAddress.parse("http://10.0.0." + (i % 250) + ":" + (8000 + i)));
        }
    }

    @Benchmark
    public Selector publish() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < states.length; i++) {
            builder.add(states[i], 1 + i % 4, 1_000_000);
        }
        final BackendSnapshot snapshot = builder.build();
        final Selector selector = SelectorFactory.create(algorithm);
        selector.prepare(snapshot);
        return selector;
    }
}
