package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

/**
 * The slow paths selectors share when their first choice is not eligible: O(n) scans that still spread the
 * redirected requests evenly (or by weight) over the eligible backends, chosen by a caller-supplied 64-bit value
 * (a random number, a hash, a rotation counter) so that the choice is as deterministic as the caller is.
 *
 * <p>Stateless and thread-safe. Eligibility may change between two scans; each method then still returns an
 * eligible backend if one is left, or {@link Selector#NO_BACKEND}.
 */
final class Eligibility {
    private Eligibility() {
    }

    /** An eligible backend, each equally likely over uniform {@code bits}, or NO_BACKEND. Two O(n) scans. */
    static int uniform(BackendSnapshot snapshot, long bits) {
        final int n = snapshot.size();
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                eligible++;
            }
        }
        if (eligible == 0) {
            return Selector.NO_BACKEND;
        }
        int k = Hashing.reduce(Hashing.mix64(bits), eligible);
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i) && k-- == 0) {
                return i;
            }
        }
        return first(snapshot);
    }

    /** An eligible backend, chosen with probability proportional to its weight over uniform {@code bits}. */
    static int weighted(BackendSnapshot snapshot, long bits) {
        final int n = snapshot.size();
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                total += snapshot.weight(i);
            }
        }
        if (total == 0) {
            return Selector.NO_BACKEND;
        }
        long k = Long.remainderUnsigned(Hashing.mix64(bits), total);
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                k -= snapshot.weight(i);
                if (k < 0) {
                    return i;
                }
            }
        }
        return first(snapshot);
    }

    /** The first eligible backend in list order, or NO_BACKEND. */
    static int first(BackendSnapshot snapshot) {
        final int n = snapshot.size();
        for (int i = 0; i < n; i++) {
            if (snapshot.isEligible(i)) {
                return i;
            }
        }
        return Selector.NO_BACKEND;
    }
}
