package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * Power of two choices for backends of unequal weight: two candidates drawn by weight (alias method), the one with
 * the smaller (in-flight + 1) / weight wins.
 *
 * <p>Thread-safe and lock-free, O(1). The {@link AliasTable} is derived once per snapshot layout. The two draws may
 * land on the same backend (likely only when one backend holds most of the weight); that backend is then taken.
 * Ineligible candidates are redrawn once; after that one O(n) weighted scan decides.
 */
public final class WeightedPowerOfTwoChoicesSelector implements Selector {
    public static final String NAME = "weighted-power-of-two-choices";

    private final RandomSource random;
    private final DerivedTable<AliasTable> tables = new DerivedTable<>(AliasTable::build);

    public WeightedPowerOfTwoChoicesSelector() {
        this(RandomSource.threadLocal());
    }

    public WeightedPowerOfTwoChoicesSelector(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final AliasTable table = tables.get(snapshot);
        if (table.totalWeight() == 0) {
            return NO_BACKEND;
        }
        // One read of each candidate's in-flight word: below admitBelow it is the in-flight count, otherwise the
        // candidate is ineligible and gets one redraw.
        int a = table.draw(random.nextLong());
        int wordA = snapshot.inFlightWordPlain(a);
        boolean aOk = wordA < snapshot.admitBelow(a);
        if (!aOk) {
            a = table.draw(random.nextLong());
            wordA = snapshot.inFlightWordPlain(a);
            aOk = wordA < snapshot.admitBelow(a);
        }
        int b = table.draw(random.nextLong());
        int wordB = snapshot.inFlightWordPlain(b);
        boolean bOk = wordB < snapshot.admitBelow(b);
        if (!bOk) {
            b = table.draw(random.nextLong());
            wordB = snapshot.inFlightWordPlain(b);
            bOk = wordB < snapshot.admitBelow(b);
        }
        if (aOk && bOk) {
            // (inFlight_b + 1) / w_b < (inFlight_a + 1) / w_a, cross-multiplied
            final long loadA = wordA + 1L;
            final long loadB = wordB + 1L;
            return loadB * snapshot.weight(a) < loadA * snapshot.weight(b) ? b : a;
        }
        if (aOk) {
            return a;
        }
        if (bOk) {
            return b;
        }
        return Eligibility.weighted(snapshot, random.nextLong());
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        tables.prepare(snapshot);
    }

    @Override
    public String name() {
        return NAME;
    }
}
