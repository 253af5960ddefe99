package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Strict rotation over the eligible backends.
 *
 * <p>Thread-safe and lock-free: one atomic increment per pick. When every backend is eligible the pick is O(1).
 * When the backend whose turn it is cannot take the request, the turn goes to the k-th eligible backend with k
 * derived from the rotation counter, so a skipped backend's share is spread evenly over the others instead of
 * falling to its neighbour (terraster's behaviour).
 */
public final class RoundRobinSelector implements Selector {
    public static final String NAME = "round-robin";

    private final AtomicLong turn = new AtomicLong();

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final long t = turn.getAndIncrement() & Long.MAX_VALUE;
        final int candidate = (int) (t % n);
        if (snapshot.isEligible(candidate)) {
            return candidate;
        }
        return spreadSkippedTurn(snapshot, t / n);
    }

    private static int spreadSkippedTurn(BackendSnapshot snapshot, long round) {
        final int n = snapshot.size();
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                eligible++;
            }
        }
        if (eligible == 0) {
            return NO_BACKEND;
        }
        int k = (int) (round % eligible);
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i) && k-- == 0) {
                return i;
            }
        }
        // Eligibility changed between the two scans; any eligible backend is a fair answer.
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                return i;
            }
        }
        return NO_BACKEND;
    }

    @Override
    public String name() {
        return NAME;
    }
}
