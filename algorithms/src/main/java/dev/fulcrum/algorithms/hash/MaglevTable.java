package dev.fulcrum.algorithms.hash;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

import java.util.Arrays;

/**
 * The Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016,
 * §3.4): a prime-sized array in which every backend owns an almost equal share of the slots, filled so that a
 * membership change moves few keys.
 *
 * <p>Immutable once built. Each backend walks its own permutation of the slots ({@code offset + j * skip mod M},
 * offset and skip from two hashes of its id) and the backends take turns claiming their next free slot. Weighted
 * backends take turns in proportion to weight (a credit per round of weight / max weight), which reduces to the
 * paper's fill when weights are equal. Build O(M log M); lookup one array read.
 */
public final class MaglevTable {
    /** The paper's small table size: prime, and at least 100 slots per backend up to 655 backends. */
    public static final int DEFAULT_SIZE = 65537;
    /** The paper keeps M at least 100 x backends so shares differ by at most about 1 %. */
    public static final int SLOTS_PER_BACKEND = 100;

    private static final long SKIP_SEED = 0x5851F42D4C957F2DL;

    private final int[] entries;

    private MaglevTable(int[] entries) {
        this.entries = entries;
    }

    /** The table size used for {@code backends}: the smallest prime at least max(minimumSize, 100 x backends). */
    public static int sizeFor(int backends, int minimumSize) {
        final long wanted = Math.max((long) minimumSize, (long) SLOTS_PER_BACKEND * backends);
        if (wanted > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("Maglev table too large for " + backends + " backends");
        }
        return Hashing.nextPrime((int) wanted);
    }

    /** Builds the table; drained backends (weight 0) own no slot. An all-drained snapshot gives an empty table. */
    public static MaglevTable build(BackendSnapshot snapshot, int minimumSize) {
        final int n = snapshot.size();
        int maxWeight = 0;
        int positive = 0;
        for (int i = 0; i < n; i++) {
            maxWeight = Math.max(maxWeight, snapshot.weight(i));
            if (snapshot.weight(i) > 0) {
                positive++;
            }
        }
        if (positive == 0) {
            return new MaglevTable(new int[0]);
        }
        final int m = sizeFor(positive, minimumSize);
        final int[] entries = new int[m];
        Arrays.fill(entries, -1);
        final long[] next = new long[n];
        final long[] skip = new long[n];
        final long[] credit = new long[n];
        for (int i = 0; i < n; i++) {
            final long h = Hashing.hash(snapshot.state(i).id());
            next[i] = Long.remainderUnsigned(h, m);
            skip[i] = Long.remainderUnsigned(Hashing.mix64(h ^ SKIP_SEED), m - 1) + 1;
        }
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                final int weight = snapshot.weight(i);
                if (weight == 0) {
                    continue;
                }
                credit[i] += weight;
                while (credit[i] >= maxWeight) {
                    credit[i] -= maxWeight;
                    long c = next[i];
                    while (entries[(int) c] >= 0) {
                        c += skip[i];
                        if (c >= m) {
                            c -= m;
                        }
                    }
                    entries[(int) c] = i;
                    c += skip[i];
                    next[i] = c >= m ? c - m : c;
                    if (++filled == m) {
                        return new MaglevTable(entries);
                    }
                }
            }
        }
    }

    /** Number of slots (prime), or 0 when every backend is drained. */
    public int size() {
        return entries.length;
    }

    /** The backend owning the slot for {@code hash}. Requires {@link #size()} &gt; 0. */
    public int lookup(long hash) {
        return entries[Hashing.reduce(hash, entries.length)];
    }

    /** The backend owning slot {@code slot}. */
    public int entry(int slot) {
        return entries[slot];
    }

    /** The slot {@code hash} maps to. */
    public int slotOf(long hash) {
        return Hashing.reduce(hash, entries.length);
    }
}
