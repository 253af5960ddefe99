package dev.fulcrum.algorithms.hash;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Arrays;

/**
 * A consistent-hash ring with virtual nodes (Karger et al. 1997; ketama used 160 points per backend, see
 * {@link #DEFAULT_VIRTUAL_NODES} for why Fulcrum uses more).
 *
 * <p>Immutable once built. Each backend contributes points in proportion to its weight, placed by a hash of its id
 * (not its list position), so the same backend lands on the same points in every snapshot and removing one of n
 * backends moves only the keys it owned, about 1/n of them. Drained backends (weight 0) have no points.
 *
 * <p>Layout: one sorted {@code long[]}; each point keeps its 44 upper hash bits and the owner's index in its low
 * {@link #OWNER_BITS} bits, so a lookup is one binary search over one array: O(log points).
 */
public final class HashRing {
    /**
     * Points per backend of average weight. A backend's share of the ring varies by about 1/sqrt(points): with
     * ketama's 160, one of 10 backends owned 11.6 % of the keys and removing it moved more than the bound of
     * 1/N + 1 %; with 1000 the worst backend of 5, 10 and 50 stays within it (KeyMovementTest). Costs 8 KB per
     * backend (8 MB at 1024 backends) and about three more steps of binary search than 160.
     */
    public static final int DEFAULT_VIRTUAL_NODES = 1000;

    static final int OWNER_BITS = 20;
    static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
    /** Caps the ring at 32 MB whatever the weights. */
    static final int MAX_POINTS = 1 << 22;

    private final long[] points;

    private HashRing(long[] points) {
        this.points = points;
    }

    /**
     * @param virtualNodes points for a backend of average weight; others get proportionally more or fewer, at least 1
     * @throws IllegalArgumentException beyond 2^20 backends
     */
    public static HashRing build(BackendSnapshot snapshot, int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be positive: " + virtualNodes);
        }
        final int n = snapshot.size();
        if (n > OWNER_MASK + 1) {
            throw new IllegalArgumentException("too many backends for a ring: " + n);
        }
        long totalWeight = 0;
        int positive = 0;
        for (int i = 0; i < n; i++) {
            if (snapshot.weight(i) > 0) {
                totalWeight += snapshot.weight(i);
                positive++;
            }
        }
        if (positive == 0) {
            return new HashRing(new long[0]);
        }
        double perWeight = (double) virtualNodes * positive / totalWeight;
        if (perWeight * totalWeight > MAX_POINTS) {
            perWeight = (double) MAX_POINTS / totalWeight;
        }
        final int[] counts = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            if (snapshot.weight(i) > 0) {
                counts[i] = (int) Math.max(1L, Math.round(snapshot.weight(i) * perWeight));
                total += counts[i];
            }
        }
        final long[] points = new long[total];
        int p = 0;
        for (int i = 0; i < n; i++) {
            final long idHash = Hashing.hash(snapshot.state(i).id());
            for (int v = 0; v < counts[i]; v++) {
                points[p++] = (pointHash(idHash, v) & ~OWNER_MASK) | i;
            }
        }
        Arrays.sort(points);
        return new HashRing(points);
    }

    /** Where virtual node {@code v} of a backend sits: a function of the backend's id only. */
    static long pointHash(long idHash, int v) {
        return Hashing.mix64(idHash + (v + 1) * Hashing.GOLDEN_GAMMA);
    }

    /** Number of points; 0 when every backend is drained. */
    public int size() {
        return points.length;
    }

    /** The position of the first point clockwise from {@code hash}. Requires {@link #size()} &gt; 0. */
    public int positionOf(long hash) {
        final long target = hash & ~OWNER_MASK;
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (points[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }

    /** The position after {@code position}, wrapping around the ring. */
    public int next(int position) {
        final int p = position + 1;
        return p == points.length ? 0 : p;
    }

    /** The backend index owning the point at {@code position}. */
    public int owner(int position) {
        return (int) (points[position] & OWNER_MASK);
    }
}
