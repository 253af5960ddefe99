package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.HashRing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * Consistent hashing on a ring with virtual nodes: a key goes to the owner of the first point clockwise from its
 * hash; an ineligible owner passes the key on clockwise, so only that backend's keys move.
 *
 * <p>Thread-safe and lock-free; O(log points) per pick, points = about 1000 x backends. The {@link HashRing} is
 * derived once per snapshot layout. Which part of the request is the key is a constructor parameter
 * ({@link HashKey}: client address, header, cookie or path).
 */
public final class ConsistentHashSelector implements Selector {
    public static final String NAME = "consistent-hash";

    /** Clockwise steps before checking that anything is eligible at all, so an all-dead pool costs O(n), not O(ring). */
    static final int WALK_BEFORE_CHECK = 64;

    private final HashKey hashKey;
    private final DerivedTable<HashRing> rings;

    /** Keyed by client address, {@link HashRing#DEFAULT_VIRTUAL_NODES} virtual nodes per backend. */
    public ConsistentHashSelector() {
        this(HashKey.clientAddress(), HashRing.DEFAULT_VIRTUAL_NODES);
    }

    public ConsistentHashSelector(HashKey hashKey) {
        this(hashKey, HashRing.DEFAULT_VIRTUAL_NODES);
    }

    /**
     * @param hashKey      what part of the request is hashed
     * @param virtualNodes ring points for a backend of average weight
     */
    public ConsistentHashSelector(HashKey hashKey, int virtualNodes) {
        this.hashKey = Objects.requireNonNull(hashKey, "hashKey");
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be positive: " + virtualNodes);
        }
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
        if (snapshot.isEligible(owner)) {
            return owner;
        }
        return walk(snapshot, ring, position);
    }

    /** The first eligible owner clockwise from {@code position}, or NO_BACKEND. */
    static int walk(BackendSnapshot snapshot, HashRing ring, int position) {
        final int points = ring.size();
        int p = position;
        for (int step = 0; step < points; step++) {
            if (step == WALK_BEFORE_CHECK && Eligibility.first(snapshot) == NO_BACKEND) {
                return NO_BACKEND;
            }
            final int owner = ring.owner(p);
            if (snapshot.isEligible(owner)) {
                return owner;
            }
            p = ring.next(p);
        }
        return NO_BACKEND;
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        rings.prepare(snapshot);
    }

    public HashKey hashKey() {
        return hashKey;
    }

    @Override
    public String name() {
        return NAME;
    }
}
