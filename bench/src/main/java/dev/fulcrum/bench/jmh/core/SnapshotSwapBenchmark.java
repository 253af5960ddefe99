package dev.fulcrum.bench.jmh.core;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.pool.ServerPool;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The single-writer snapshot path of {@link ServerPool}: what a backend-list change ({@code updateBackends}: a new
 * immutable snapshot and its selector tables, published with one release write) costs the control thread, what a
 * health flip ({@code markAlive}: one release write on the backend's state, no new snapshot) costs, and what reading
 * the current snapshot costs a request thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SnapshotSwapBenchmark {
    @Param({"10", "100"})
    public int backends;

    @Param({"round-robin", "maglev"})
    public String algorithm;

    private ServerPool pool;
    private List<BackendConfig> listA;
    private List<BackendConfig> listB;
    private String flipped;
    private boolean alive;
    private boolean toggle;

    @Setup
    public void setUp() {
        listA = new ArrayList<>();
        listB = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            final String url = "http://10.0." + (i / 250) + "." + (i % 250 + 1) + ":9000";
            final BackendConfig one = BackendConfig.of(url);
            listA.add(one);
            // Same members, new weights: states carry over, tables rebuild.
            listB.add(new BackendConfig(one.address(), 2, one.maxConnections()));
        }
        pool = new ServerPool(algorithm, listA);
        flipped = listA.get(0).address().toString();
    }

    /** Marks one backend down or up: a release write on its state; the snapshot stays. */
    @Benchmark
    public boolean markAlive() {
        alive = !alive;
        return pool.markAlive(flipped, alive);
    }

    /** Replaces the backend list (weights change): states carried over, snapshot and selector tables rebuilt. */
    @Benchmark
    public ServerPool updateBackends() {
        toggle = !toggle;
        pool.updateBackends(toggle ? listB : listA);
        return pool;
    }

    /** What a request thread pays to see the current snapshot: one acquire read. */
    @Benchmark
    public BackendSnapshot readSnapshot() {
        return pool.snapshot();
    }
}
