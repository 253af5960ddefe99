package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;

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
        for (int k = 0; k < n; k++) {
            int i = start + k;
            if (i >= n) {
                i -= n;
            }
            final int weight = snapshot.weight(i);
            if (weight == 0) {
                continue;
            }
            final BackendState state = snapshot.state(i);
            final int inFlight = state.inFlightOpaque();
            final long load = inFlight + 1L;
            if (load * bestWeight < bestLoad * weight && inFlight < snapshot.maxInFlight(i) && state.isAliveOpaque()) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return NAME;
    }
}
