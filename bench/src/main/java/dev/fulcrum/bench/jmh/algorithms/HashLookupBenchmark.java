package dev.fulcrum.bench.jmh.algorithms;

import dev.fulcrum.algorithms.hash.HashRing;
import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.hash.MaglevTable;
import dev.fulcrum.algorithms.hash.Rendezvous;
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
 * One consistent-hash lookup per operation (a new, mixed key each time), four ways: Maglev's table (O(1)), the ring
 * with virtual nodes (O(log points)), rendezvous hashing (O(n), no table) and jump hashing (O(log n), no table, but
 * it can only remove the last bucket). Lookup only: eligibility checks are the selectors' business.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class HashLookupBenchmark {
    @Param({"4", "64", "1024"})
    public int backends;

    private MaglevTable maglev;
    private HashRing ring;
    private Rendezvous rendezvous;
    private long key;

    @Setup
    public void setUp() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        final long[] seeds = new long[backends];
        for (int i = 0; i < backends; i++) {
            builder.add(new BackendState("b" + i, BackendAddress.parse("http://10.0.0." + (i % 250) + ":" + (8000 + i))),
                    1, 1_000_000);
            seeds[i] = Hashing.hash("b" + i);
        }
        final BackendSnapshot snapshot = builder.build();
        maglev = MaglevTable.build(snapshot, MaglevTable.DEFAULT_SIZE);
        ring = HashRing.build(snapshot, HashRing.DEFAULT_VIRTUAL_NODES);
        rendezvous = new Rendezvous(seeds);
    }

    private long nextKey() {
        key += Hashing.GOLDEN_GAMMA;
        return Hashing.mix64(key);
    }

    @Benchmark
    public int maglev() {
        return maglev.lookup(nextKey());
    }

    @Benchmark
    public int ring() {
        return ring.owner(ring.positionOf(nextKey()));
    }

    @Benchmark
    public int rendezvous() {
        return rendezvous.lookup(nextKey());
    }

    @Benchmark
    public int jump() {
        return Hashing.jump(nextKey(), backends);
    }
}
