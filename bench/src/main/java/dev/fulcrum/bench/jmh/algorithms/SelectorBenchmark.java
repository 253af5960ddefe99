package dev.fulcrum.bench.jmh.algorithms;

import dev.fulcrum.algorithms.select.RequestKey;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.select.SelectorOptions;
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
 * One {@link Selector#select} per operation, per algorithm and backend count. Run with {@code -prof gc}: every
 * algorithm should show about 0 B/op, and {@code -t 2} for the shared-counter algorithms.
 *
 * <p>Backends are all healthy, equal weight (WRR gets weights 1..4 so its table is not trivial), in-flight counts
 * spread 0..7 so that least-* algorithms compare real values. The key's client hash changes every call so hash
 * algorithms do not hit one cache line; its Cookie header names a different backend every call, so sticky-session
 * measures its cookie lookup (the fallback runs only for the one request in 16 whose cookie names no backend).
 * Adaptive runs its first candidate (P2C) with a window longer than the run.
 *
 * <p>Threads: run once with {@code -t 1} and once with {@code -t 2}; the shared rotation counters of the round-robin
 * family are what the second thread contends on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectorBenchmark {
    @Param({"round-robin", "weighted-round-robin", "least-connections", "weighted-least-connections", "random",
            "weighted-random", "power-of-two-choices", "weighted-power-of-two-choices", "ip-hash", "consistent-hash",
            "maglev", "bounded-load", "least-response-time", "sticky-session", "adaptive"})
    public String algorithm;

    @Param({"4", "64", "1024"})
    public int backends;

    private Selector selector;
    private BackendSnapshot snapshot;
    private String[] cookies;

    @Setup
    public void setUp() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < backends; i++) {
            final BackendState state = new BackendState("b" + i, BackendAddress.parse("http://10.0.0." + (i % 250) + ":" + (8000 + i)));
            for (int f = 0; f < i % 8; f++) {
                state.tryAcquire(Integer.MAX_VALUE);
            }
            final int weight = algorithm.startsWith("weighted") ? 1 + i % 4 : 1;
            builder.add(state, weight, 1_000_000);
        }
        snapshot = builder.version(1).build();
        final String[] cookies = new String[16];
        for (int c = 0; c < cookies.length; c++) {
            // One in 16 names a backend that does not exist: the fallback's cost shows in the average.
            cookies[c] = "theme=dark; " + SelectorOptions.DEFAULT_STICKY_COOKIE + "=b" + (c == 15 ? "x" : (c * 7919) % backends);
        }
        this.cookies = cookies;
        selector = SelectorFactory.create(algorithm);
        selector.prepare(snapshot);
        if (algorithm.equals("least-response-time")) {
            for (int i = 0; i < backends; i++) {
                selector.onResponse(snapshot.state(i), 1_000_000L + 10_000L * i, true);
            }
        }
    }

    @Benchmark
    public int select(KeyState state) {
        final CountingKey key = state.key;
        key.next();
        return selector.select(snapshot, key);
    }

    /**
     * Each benchmark thread has its own key, as each event loop has its own flyweight: only the selector and the
     * snapshot are shared, so {@code -t 2} measures contention on the selector, not on the key.
     */
    @State(Scope.Thread)
    public static class KeyState {
        final CountingKey key = new CountingKey();

        @Setup
        public void setUp(SelectorBenchmark benchmark) {
            key.cookies = benchmark.cookies;
            key.client = Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        }
    }

    /** A flyweight key like the transport's: a new client hash and Cookie per request, nothing allocated. */
    static final class CountingKey implements RequestKey {
        private long client;
        private int turn;
        String[] cookies = new String[] {""};

        void next() {
            client += 0x9E3779B97F4A7C15L;
            turn++;
        }

        @Override
        public long clientAddressHash() {
            return client;
        }

        @Override
        public CharSequence header(CharSequence name) {
            return cookies[turn & (cookies.length - 1)];   // only "cookie" is asked for by these algorithms
        }

        @Override
        public CharSequence path() {
            return "/";
        }
    }
}
