package dev.fulcrum.bench.jmh.algorithms;

import dev.fulcrum.algorithms.hash.HashRing;
import dev.fulcrum.algorithms.hash.MaglevTable;
import dev.fulcrum.algorithms.select.AliasTable;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.select.WeightedRoundRobinSelector;
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
 * What a snapshot publication costs the control thread: building each algorithm's table for one layout. The issue's
 * target: a Maglev table for 100 backends in at most 3 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TableBuildBenchmark {
    @Param({"4", "64", "100", "1024"})
    public int backends;

    private BackendSnapshot snapshot;

    @Setup
    public void setUp() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < backends; i++) {
            builder.add(new BackendState("b" + i, BackendAddress.parse("http://10.0.0." + (i % 250) + ":" + (8000 + i))),
                    1 + i % 4, 1_000_000);
        }
        snapshot = builder.version(1).build();
    }

    @Benchmark
    public MaglevTable maglev() {
        return MaglevTable.build(snapshot, MaglevTable.DEFAULT_SIZE);
    }

    @Benchmark
    public HashRing ring() {
        return HashRing.build(snapshot, HashRing.DEFAULT_VIRTUAL_NODES);
    }

    /** A fresh selector each time, so its derived-table cache cannot answer: measures the smooth-WRR table build. */
    @Benchmark
    public Selector weightedRoundRobin() {
        final Selector selector = new WeightedRoundRobinSelector();
        selector.prepare(snapshot);
        return selector;
    }

    @Benchmark
    public AliasTable alias() {
        return AliasTable.build(snapshot);
    }
}
