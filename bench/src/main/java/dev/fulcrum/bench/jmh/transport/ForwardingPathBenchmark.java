package dev.fulcrum.bench.jmh.transport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 exchange through the real forwarding path per operation: client GET decoded, routed,
 * backend selected, pooled upstream connection taken, request encoded upstream, backend response decoded, response
 * headers rewritten, response encoded to the client, upstream connection returned to the pool. No sockets: the
 * client and the upstream are embedded channels (see {@link ForwardingRig}), so the figure is the CPU cost of the
 * proxy's own work plus Netty's codecs, without syscalls.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the proxy's allocation per request (plus the two
 * retained duplicates the harness feeds in).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardingPathBenchmark {
    /** Response body size: empty (headers only), a small JSON-sized body, 16 KiB (one full TLS record). */
    @Param({"0", "1024", "16384"})
    public int bodyBytes;

    private ForwardingRig rig;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new ForwardingRig(bodyBytes);
        rig.exchange(null); // opens the one upstream connection; every measured exchange reuses it from the pool
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rig.close();
    }

    @Benchmark
    public void forward(Blackhole bh) {
        bh.consume(rig.exchange(null));
    }

    /** The rig, for tests that drive the state by hand. */
    ForwardingRig rig() {
        return rig;
    }
}
