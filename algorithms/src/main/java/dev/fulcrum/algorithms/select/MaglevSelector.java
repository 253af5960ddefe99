package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.hash.MaglevTable;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * Maglev consistent hashing: a key's hash indexes a prime-sized lookup table (default 65537 slots, at least 100 per
 * backend) in which every backend owns an almost equal share.
 *
 * <p>Thread-safe and lock-free; O(1) per pick: one hash, one array read. The {@link MaglevTable} is derived once per
 * snapshot layout. When the owner is not eligible the key is re-hashed up to {@link #PROBES} times (each re-hash
 * lands on a uniformly random slot, so a dead backend's keys spread evenly over the others, and a key always tries
 * the same slots), then one O(n) even spread. Which part of the request is the key is a constructor parameter ({@link HashKey}).
 */
public final class MaglevSelector implements Selector {
    public static final String NAME = "maglev";

    /** Re-hashes tried when a key's owner is unavailable: misses 1 in 4^16 with a quarter of backends down. */
    static final int PROBES = 16;

    private final HashKey hashKey;
    private final DerivedTable<MaglevTable> tables;

    /** Keyed by client address, table of at least {@link MaglevTable#DEFAULT_SIZE} slots. */
    public MaglevSelector() {
        this(HashKey.clientAddress(), MaglevTable.DEFAULT_SIZE);
    }

    public MaglevSelector(HashKey hashKey) {
        this(hashKey, MaglevTable.DEFAULT_SIZE);
    }

    /**
     * @param hashKey          what part of the request is hashed
     * @param minimumTableSize table slots at least (rounded up to a prime, and to 100 x backends)
     */
    public MaglevSelector(HashKey hashKey, int minimumTableSize) {
        this.hashKey = Objects.requireNonNull(hashKey, "hashKey");
        if (minimumTableSize < 2) {
            throw new IllegalArgumentException("minimumTableSize must be at least 2: " + minimumTableSize);
        }
        this.tables = new DerivedTable<>(snapshot -> MaglevTable.build(snapshot, minimumTableSize));
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final MaglevTable table = tables.get(snapshot);
        if (table.size() == 0) {
            return NO_BACKEND;
        }
        final long hash = hashKey.hash(key);
        final int owner = table.lookup(hash);
        if (snapshot.isEligible(owner)) {
            return owner;
        }
        return probe(snapshot, table, hash);
    }

    private static int probe(BackendSnapshot snapshot, MaglevTable table, long hash) {
        for (int k = 1; k <= PROBES; k++) {
            final int owner = table.lookup(Hashing.mix64(hash + k * Hashing.GOLDEN_GAMMA));
            if (snapshot.isEligible(owner)) {
                return owner;
            }
        }
        return Eligibility.uniform(snapshot, hash);
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        tables.prepare(snapshot);
    }

    /** The table for a snapshot (built if needed); for tests and benchmarks. */
    public MaglevTable table(BackendSnapshot snapshot) {
        return tables.get(snapshot);
    }

    @Override
    public String name() {
        return NAME;
    }
}
