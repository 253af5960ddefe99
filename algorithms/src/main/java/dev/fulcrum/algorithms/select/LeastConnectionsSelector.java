package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;

import java.util.Objects;

/**
 * The eligible backend with the fewest in-flight requests (HAProxy {@code leastconn}, nginx {@code least_conn}).
 *
 * <p>Thread-safe and lock-free: one O(n) scan of opaque reads, nothing written, cut short at the first idle eligible
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
        for (int k = 0; k < n; k++) {
            int i = start + k;
            if (i >= n) {
                i -= n;
            }
            if (snapshot.weight(i) == 0) {
                continue;
            }
            final BackendState state = snapshot.state(i);
            final int inFlight = state.inFlightOpaque();
            if (inFlight < bestInFlight && inFlight < snapshot.maxInFlight(i) && state.isAliveOpaque()) {
                best = i;
                bestInFlight = inFlight;
                if (inFlight == 0) {
                    break;   // nothing beats an idle backend, and the first one from the random start wins ties anyway
                }
            }
        }
        return best;
    }

    @Override
    public String name() {
        return NAME;
    }
}
