package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin, nginx's interleaving: weights 5,3 give A B A A B A B A rather than A A A A A B B B.
 *
 * <p>Thread-safe and lock-free. nginx runs the smooth algorithm (add each weight to its current weight, pick the
 * largest, subtract the total from it) under a lock on every pick. Its output depends only on the weights and is
 * periodic, so this selector runs it once per snapshot layout into a table of one period (length
 * sum(weights) / gcd(weights)) and a pick is one atomic increment plus one array read: O(1). One thread picking
 * alone sees exactly weight_i picks of backend i in every window of sum(weights) picks; concurrent pickers share
 * the counter, so they see the same proportions overall.
 *
 * <p>When the scheduled backend is not eligible (dead, full), its turn goes to an eligible backend chosen in
 * proportion to weight from the rotation counter (O(n)), so a skipped backend's share is spread, not handed to the
 * next backend in the sequence. Drained backends (weight 0) are not in the table.
 *
 * <p>Very large tables are bounded: when period x backends would exceed {@link #MAX_BUILD_STEPS}, weights are scaled
 * down proportionally (rounded, at least 1) before the table is built, and proportions become approximate.
 */
public final class WeightedRoundRobinSelector implements Selector {
    public static final String NAME = "weighted-round-robin";

    /** Bounds the O(period x backends) build to roughly 100 ms and the table to at most 4 MB (2^20 ints). */
    static final long MAX_BUILD_STEPS = 1L << 27;
    static final int MAX_PERIOD = 1 << 20;

    private final AtomicLong turn = new AtomicLong();
    private final DerivedTable<int[]> sequences = new DerivedTable<>(WeightedRoundRobinSelector::smoothSequence);

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int[] sequence = sequences.get(snapshot);
        if (sequence.length == 0) {
            return NO_BACKEND;
        }
        final long t = turn.getAndIncrement() & Long.MAX_VALUE;
        final int candidate = sequence[(int) (t % sequence.length)];
        if (snapshot.isEligible(candidate)) {
            return candidate;
        }
        return Eligibility.weighted(snapshot, t);
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        sequences.prepare(snapshot);
    }

    /** One period of nginx's smooth weighted round robin over the snapshot's weights; ties go to the earlier backend. */
    static int[] smoothSequence(BackendSnapshot snapshot) {
        final int n = snapshot.size();
        final long[] weights = new long[n];
        long gcd = 0;
        int positive = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = snapshot.weight(i);
            if (weights[i] > 0) {
                gcd = gcd(gcd, weights[i]);
                positive++;
            }
        }
        if (positive == 0) {
            return new int[0];
        }
        long period = 0;
        for (int i = 0; i < n; i++) {
            weights[i] /= gcd;
            period += weights[i];
        }
        if (period > MAX_PERIOD || period * positive > MAX_BUILD_STEPS) {
            period = scaleDown(weights, Math.min(MAX_PERIOD, MAX_BUILD_STEPS / positive), period);
        }
        final int[] sequence = new int[(int) period];
        final long[] current = new long[n];
        for (int step = 0; step < sequence.length; step++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                current[i] += weights[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= period;
            sequence[step] = best;
        }
        return sequence;
    }

    /** Scales positive weights so that they sum to about {@code target}, keeping each at least 1; returns the new sum. */
    private static long scaleDown(long[] weights, long target, long sum) {
        final double factor = (double) target / sum;
        long scaled = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                weights[i] = Math.max(1L, Math.round(weights[i] * factor));
                scaled += weights[i];
            }
        }
        return scaled;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            final long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    @Override
    public String name() {
        return NAME;
    }
}
