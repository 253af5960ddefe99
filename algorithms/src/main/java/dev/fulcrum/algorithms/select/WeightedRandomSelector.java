package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * A random eligible backend drawn with probability proportional to its weight, by the alias method: O(1).
 *
 * <p>Thread-safe and lock-free. The {@link AliasTable} is derived once per snapshot layout. A draw that lands on an
 * ineligible backend is redrawn (rejection keeps the distribution exact over the eligible backends), up to
 * {@link #REDRAWS} times, then one O(n) weighted scan decides.
 */
public final class WeightedRandomSelector implements Selector {
    public static final String NAME = "weighted-random";

    /** Redraws before the O(n) scan: with one backend in four unavailable, 3 redraws miss 0.4 % of the time. */
    static final int REDRAWS = 3;

    private final RandomSource random;
    private final DerivedTable<AliasTable> tables = new DerivedTable<>(AliasTable::build);

    public WeightedRandomSelector() {
        this(RandomSource.threadLocal());
    }

    public WeightedRandomSelector(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final AliasTable table = tables.get(snapshot);
        if (table.totalWeight() == 0) {
            return NO_BACKEND;
        }
        for (int attempt = 0; attempt <= REDRAWS; attempt++) {
            final int candidate = table.draw(random.nextLong());
            if (snapshot.isEligible(candidate)) {
                return candidate;
            }
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
