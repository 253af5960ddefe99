package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Objects;

/**
 * The eligible backend with the fewest in-flight requests (HAProxy {@code leastconn}, nginx {@code least_conn}).
 *
 * <p>Thread-safe and lock-free: one O(n) scan of plain reads over the snapshot's contiguous in-flight words
 * ({@link BackendSnapshot#inFlightWordPlain}), nothing written, cut short at the first idle eligible
 * backend (no count is lower, and it is the one the tie rule would pick). Ties go to the first backend found
 * from a random starting point, so idle or sequential traffic spreads over the tied backends instead of all going
 * to the first listed one (terraster's behaviour).
 */
public final class LeastConnectionsSelector implements Selector {
    public static final String NAME = "least-connections";

    private final RandomSource random;

    public LeastConnectionsSelector() {
        this(RandomSource.threadLocal());
    }

    /** @param random where the tie-breaking start point comes from */
    public LeastConnectionsSelector(RandomSource random) {
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
        int bestInFlight = Integer.MAX_VALUE;
        // From the random start to the end, then from 0 to the start: two plain counted loops (the JIT unrolls them
        // and drops the bounds checks), where one loop with a wrapping index would keep both.
        int from = start;
        int to = n;
        scan:
        for (int segment = 0; segment < 2; segment++) {
            for (int i = from; i < to; i++) {
                // The word is the in-flight count when below admitBelow (alive, not drained, under the cap), and
                // never below it otherwise.
                final int word = snapshot.inFlightWordPlain(i);
                if (word < bestInFlight && word < snapshot.admitBelow(i)) {
                    best = i;
                    bestInFlight = word;
                    if (word == 0) {
                        break scan;   // nothing beats an idle backend, and the first one from the start wins ties
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
