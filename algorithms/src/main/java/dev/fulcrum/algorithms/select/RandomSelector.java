package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Objects;

/**
 * A uniformly random eligible backend, ignoring weights.
 *
 * <p>Thread-safe, stateless apart from the random source: O(1) when the drawn backend is eligible, otherwise one
 * more draw among the eligible backends (O(n)), which keeps the choice uniform over them.
 */
public final class RandomSelector implements Selector {
    public static final String NAME = "random";

    private final RandomSource random;

    public RandomSelector() {
        this(RandomSource.threadLocal());
    }

    public RandomSelector(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final long bits = random.nextLong();
        final int candidate = Hashing.reduce(bits, n);
        if (snapshot.isEligible(candidate)) {
            return candidate;
        }
        return Eligibility.uniform(snapshot, bits);
    }

    @Override
    public String name() {
        return NAME;
    }
}
