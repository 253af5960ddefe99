package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Objects;

/**
 * Power of two choices: the less loaded (fewer in-flight requests) of two distinct random backends (Mitzenmacher,
 * "The Power of Two Choices in Randomized Load Balancing", 2001; Envoy's {@code LEAST_REQUEST}).
 *
 * <p>Thread-safe and lock-free, O(1): both candidates come from one 64-bit random number. If one candidate is not
 * eligible the other is taken; if neither is, a uniformly random eligible backend is (O(n)). Ties go to the first
 * draw, which is itself random.
 */
public final class PowerOfTwoChoicesSelector implements Selector {
    public static final String NAME = "power-of-two-choices";

    private final RandomSource random;

    public PowerOfTwoChoicesSelector() {
        this(RandomSource.threadLocal());
    }

    public PowerOfTwoChoicesSelector(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final long bits = random.nextLong();
        final int a = Hashing.reduce(bits, n);
        if (n == 1) {
            return snapshot.isEligible(a) ? a : NO_BACKEND;
        }
        int b = a + 1 + Hashing.reduce(bits << 32, n - 1);  // distinct from a, uniform over the others
        if (b >= n) {
            b -= n;
        }
        // Each word is read once: below admitBelow it is the in-flight count, otherwise the backend is ineligible.
        final int wordA = snapshot.inFlightWordPlain(a);
        final int wordB = snapshot.inFlightWordPlain(b);
        final boolean aOk = wordA < snapshot.admitBelow(a);
        final boolean bOk = wordB < snapshot.admitBelow(b);
        if (aOk && bOk) {
            return wordB < wordA ? b : a;
        }
        if (aOk) {
            return a;
        }
        if (bOk) {
            return b;
        }
        return Eligibility.uniform(snapshot, bits);
    }

    @Override
    public String name() {
        return NAME;
    }
}
