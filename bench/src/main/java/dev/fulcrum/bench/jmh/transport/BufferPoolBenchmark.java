package dev.fulcrum.bench.jmh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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
 * Allocate, write one byte, release: the buffer round trip every read and every generated response makes, for the
 * allocator the proxy runs with ({@code ByteBufAllocator.DEFAULT}, what {@code ProxyServer} logs at start) and for
 * Netty's pooled allocator explicitly, direct and heap, at a header-sized, a read-sized and a TLS-record-sized
 * buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BufferPoolBenchmark {
    @Param({"256", "4096", "16384"})
    public int sizeBytes;

    @Param({"default", "pooled"})
    public String allocator;

    private ByteBufAllocator alloc;

    @Setup
    public void setUp() {
        alloc = allocator.equals("pooled") ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
    }

    @Benchmark
    public boolean directAllocateRelease() {
        final ByteBuf buf = alloc.directBuffer(sizeBytes);
        buf.writeByte(1);
        return buf.release();
    }

    @Benchmark
    public boolean heapAllocateRelease() {
        final ByteBuf buf = alloc.heapBuffer(sizeBytes);
        buf.writeByte(1);
        return buf.release();
    }
}
