package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Objects;

/**
 * The eligible backend with the smallest (in-flight + 1) / weight: least connections for backends of unequal size.
 *
 * <p>Thread-safe and lock-free: one O(n) scan, ratios compared by cross-multiplication (no division). The "+ 1"
 * counts the request being placed (as HAProxy and Envoy do), so among idle backends the heaviest wins. Ties go to
 * the first backend found from a random starting point.
 */
public final class WeightedLeastConnectionsSelector implements Selector {
    public static final String NAME = "weighted-least-connections";

    private final RandomSource random;

    public WeightedLeastConnectionsSelector() {
        this(RandomSource.threadLocal());
    }

    /** @param random where the tie-breaking start point comes from */
    public WeightedLeastConnectionsSelector(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final int start = Hashing.reduce(random.nextLong(), n);
        int best = NO_BACKEND;
        long bestLoad = 1;      // best is (bestLoad / bestWeight); starts as "infinite"
        long bestWeight = 0;
        // From the random start to the end, then from 0 to the start: two plain counted loops (the JIT unrolls them
        // and drops the bounds checks), where one loop with a wrapping index would keep both.
        int from = start;
        int to = n;
        for (int segment = 0; segment < 2; segment++) {
            for (int i = from; i < to; i++) {
                final int word = snapshot.inFlightWordPlain(i);   // the in-flight count when below admitBelow
                if (word < snapshot.admitBelow(i)) {
                    final int weight = snapshot.weight(i);
                    final long load = word + 1L;
                    if (load * bestWeight < bestLoad * weight) {
                        best = i;
                        bestLoad = load;
                        bestWeight = weight;
                    }
                }
            }
            from = 0;
            to = start;
        }
        return best;
    }

    @Override
    public String name() {
        return NAME;
    }
}
