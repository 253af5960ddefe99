package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.HashRing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, SODA 2018): a key goes to the first
 * backend clockwise on the ring whose in-flight count is below ceil(factor x (in-flight total + 1) / eligible), so no
 * backend carries more than {@code factor} times the mean while others have room, and keys stay put otherwise.
 *
 * <p>Thread-safe and lock-free. O(log points) when the key's backend is idle; otherwise one O(n) pass sums the
 * in-flight counts (the selector does not see acquire/release, so it cannot keep a running total) and the walk
 * continues clockwise. Load is read with plain (possibly stale) reads: under concurrency the bound holds up to the
 * picks in flight at the same instant. The {@link HashRing} is derived once per snapshot layout.
 */
public final class BoundedLoadSelector implements Selector {
    public static final String NAME = "bounded-load";

    /** The paper's and HAProxy's {@code hash-balance-factor 125}: moves few keys, caps the hottest backend at 1.25x. */
    public static final double DEFAULT_FACTOR = 1.25;

    private final HashKey hashKey;
    private final double factor;
    private final DerivedTable<HashRing> rings;

    public BoundedLoadSelector() {
        this(HashKey.clientAddress(), DEFAULT_FACTOR, HashRing.DEFAULT_VIRTUAL_NODES);
    }

    public BoundedLoadSelector(HashKey hashKey, double factor) {
        this(hashKey, factor, HashRing.DEFAULT_VIRTUAL_NODES);
    }

    /**
     * @param hashKey      what part of the request is hashed
     * @param factor       load bound relative to the mean, greater than 1
     * @param virtualNodes ring points for a backend of average weight
     */
    public BoundedLoadSelector(HashKey hashKey, double factor, int virtualNodes) {
        this.hashKey = Objects.requireNonNull(hashKey, "hashKey");
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number greater than 1: " + factor);
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be positive: " + virtualNodes);
        }
        this.factor = factor;
        this.rings = new DerivedTable<>(snapshot -> HashRing.build(snapshot, virtualNodes));
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final HashRing ring = rings.get(snapshot);
        if (ring.size() == 0) {
            return NO_BACKEND;
        }
        final int position = ring.positionOf(hashKey.hash(key));
        final int owner = ring.owner(position);
        if (snapshot.inFlightWordPlain(owner) == 0 && snapshot.admitBelow(owner) > 0) {
            return owner;   // an idle backend is below any capacity of at least 1
        }
        return boundedWalk(snapshot, ring, position);
    }

    private int boundedWalk(BackendSnapshot snapshot, HashRing ring, int position) {
        final int n = snapshot.size();
        long total = 0;
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            final int word = snapshot.inFlightWordPlain(i);   // the in-flight count when below admitBelow
            if (word < snapshot.admitBelow(i)) {
                total += word;
                eligible++;
            }
        }
        if (eligible == 0) {
            return NO_BACKEND;
        }
        final long capacity = capacity(factor, total + 1, eligible);
        final int points = ring.size();
        int p = position;
        for (int step = 0; step < points; step++) {
            final int candidate = ring.owner(p);
            final int word = snapshot.inFlightWordPlain(candidate);
            if (word < snapshot.admitBelow(candidate) && word < capacity) {
                return candidate;
            }
            p = ring.next(p);
        }
        // Loads moved under us; any eligible backend clockwise will do.
        return ConsistentHashSelector.walk(snapshot, ring, position);
    }

    /** ceil(factor x load / backends): the most in-flight requests one backend may hold once this one is placed. */
    static long capacity(double factor, long load, int backends) {
        return (long) Math.ceil(factor * load / backends);
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        rings.prepare(snapshot);
    }

    public double factor() {
        return factor;
    }

    @Override
    public String name() {
        return NAME;
    }
}
