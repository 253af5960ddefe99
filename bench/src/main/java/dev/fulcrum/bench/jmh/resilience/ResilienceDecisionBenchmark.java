package dev.fulcrum.bench.jmh.resilience;

import dev.fulcrum.core.config.CircuitBreakerConfig;
import dev.fulcrum.core.config.RateLimitConfig;
import dev.fulcrum.core.resilience.CircuitBreaker;
import dev.fulcrum.core.resilience.ClientRateLimiter;
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

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-request cost of the resilience decisions: a closed circuit breaker's admission plus a success report,
 * and one rate-limiter token for a client drawn from {@code clients} distinct addresses (so the table is probed
 * across many cache lines, as in production). The shared state is one instance per benchmark, so {@code -t 2}
 * measures two event loops contending on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ResilienceDecisionBenchmark {
    @Param({"1", "1000", "50000"})
    public int clients;

    private CircuitBreaker breaker;
    private ClientRateLimiter limiter;
    private long[] keys;

    @Setup
    public void setUp() {
        breaker = new CircuitBreaker(new CircuitBreakerConfig(true, 5, 30_000, 1));
        // A rate no benchmark reaches: every acquire is admitted and takes the CAS path.
        limiter = new ClientRateLimiter(new RateLimitConfig(true, 1e9, 1_000_000, false, 65_536));
        keys = new long[clients];
        for (int i = 0; i < clients; i++) {
            keys[i] = (1L << 32) | (0x0a000000L + i);
        }
    }

    @Benchmark
    public int circuitBreakerClosedAdmitAndSucceed() {
        final int verdict = breaker.tryAcquire(System.nanoTime());
        breaker.onSuccess(verdict == CircuitBreaker.ADMIT_PROBE);
        return verdict;
    }

    @Benchmark
    public long rateLimiterAcquire() {
        final long key = keys[ThreadLocalRandom.current().nextInt(keys.length)];
        return limiter.acquire(key, System.nanoTime());
    }
}
