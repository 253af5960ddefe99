package dev.fulcrum.bench.jmh.core;

import dev.fulcrum.core.rewrite.UrlRewriter;
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
 * {@link UrlRewriter#rewrite} per request: prefix replaced ({@code /api/ -> /v1/}), prefix stripped, and the identity
 * rewriter (location {@code /} without {@code rewrite}), on a target with a query string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UrlRewriteBenchmark {
    @Param({"replace", "strip", "identity"})
    public String kind;

    private UrlRewriter rewriter;
    private String target;

    @Setup
    public void setUp() {
        switch (kind) {
            case "replace":
                rewriter = UrlRewriter.of("/api/", "/v1/");
                break;
            case "strip":
                rewriter = UrlRewriter.of("/api/", "");
                break;
            default:
                rewriter = UrlRewriter.of("/", null); // location "/" without rewrite: returns its argument
                break;
        }
        target = "/api/users/42/orders?expand=items&limit=20";
    }

    @Benchmark
    public String rewrite() {
        return rewriter.rewrite(target);
    }
}
