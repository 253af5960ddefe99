package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key-movement bound: removing 1 of N backends moves at most 1/N + 1 % of keys, for every hash
 * algorithm that promises minimal disruption, whichever backend is removed (each is tried; the worst counts).
 * Prints the measured figures for the report.
 */
class KeyMovementTest {
    private static final int KEYS = 100_000;

    @ParameterizedTest(name = "{0} N={1}")
    @CsvSource({"maglev, 5", "maglev, 10", "maglev, 50", "consistent-hash, 5", "consistent-hash, 10",
            "consistent-hash, 50", "bounded-load, 5", "bounded-load, 10", "bounded-load, 50"})
    void removingAnyOneOfNBackendsMovesAtMostOneNthPlusOnePercent(String algorithm, int n) {
        final BackendSnapshot before = Backends.equal(n);
        final Selector selector = SelectorFactory.create(algorithm);
        final TestKey key = new TestKey();
        final int[] was = new int[KEYS];
        for (int k = 0; k < KEYS; k++) {
            was[k] = selector.select(before, key.client(k * 0x9E3779B97F4A7C15L + 17));
        }
        double worst = 0;
        double sum = 0;
        for (int removed = 0; removed < n; removed++) {
            final BackendSnapshot after = Backends.without(before, removed);
            int moved = 0;
            for (int k = 0; k < KEYS; k++) {
                final String now = after.state(selector.select(after, key.client(k * 0x9E3779B97F4A7C15L + 17))).id();
                moved += before.state(was[k]).id().equals(now) ? 0 : 1;
            }
            worst = Math.max(worst, moved / (double) KEYS);
            sum += moved / (double) KEYS;
        }
        final double bound = 1.0 / n + 0.01;
        System.out.printf("key-movement %s N=%d: removing 1 backend moved %.3f %% of keys on average, %.3f %% at"
                + " worst (bound 1/N+1%% = %.3f %%)%n", algorithm, n, sum / n * 100, worst * 100, bound * 100);
        assertTrue(worst <= bound, algorithm + " moved " + worst + " > " + bound);
    }
}
