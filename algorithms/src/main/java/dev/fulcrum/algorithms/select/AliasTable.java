package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

/**
 * Walker's alias method in Vose's formulation: draws backend i with probability weight_i / sum(weights) in O(1)
 * from one 64-bit random number.
 *
 * <p>Immutable once built. Built from the snapshot's weights with exact integer arithmetic (no floating-point
 * drift), O(n). The upper 32 random bits choose a column, the lower 31 bits toss the column's biased coin.
 */
public final class AliasTable {
    private static final long COIN_SCALE = 1L << 31;

    private final long[] threshold;  // column i keeps i when coin < threshold[i], else gives alias[i]
    private final int[] alias;
    private final long totalWeight;

    private AliasTable(long[] threshold, int[] alias, long totalWeight) {
        this.threshold = threshold;
        this.alias = alias;
        this.totalWeight = totalWeight;
    }

    /** Builds the table for the snapshot's weights; drained backends (weight 0) are never drawn. */
    public static AliasTable build(BackendSnapshot snapshot) {
        final int n = snapshot.size();
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += snapshot.weight(i);
        }
        final long[] threshold = new long[n];
        final int[] alias = new int[n];
        if (total == 0) {
            return new AliasTable(threshold, alias, 0);
        }
        // Column i starts with mass weight_i * n; a full column holds exactly `total`.
        final long[] mass = new long[n];
        final int[] small = new int[n];
        final int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            mass[i] = (long) snapshot.weight(i) * n;
            alias[i] = i;
            if (mass[i] < total) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            final int s = small[--smallCount];
            final int g = large[largeCount - 1];
            threshold[s] = mass[s] * COIN_SCALE / total;
            alias[s] = g;
            mass[g] -= total - mass[s];
            if (mass[g] < total) {
                largeCount--;
                small[smallCount++] = g;
            }
        }
        while (largeCount > 0) {
            threshold[large[--largeCount]] = COIN_SCALE;
        }
        while (smallCount > 0) {
            // Only reachable through rounding; with integer masses the leftovers are exactly full.
            threshold[small[--smallCount]] = COIN_SCALE;
        }
        return new AliasTable(threshold, alias, total);
    }

    /** Number of columns (backends). */
    public int size() {
        return alias.length;
    }

    /** Sum of weights; 0 when every backend is drained. */
    public long totalWeight() {
        return totalWeight;
    }

    /** A backend index drawn by weight. Requires {@link #totalWeight()} &gt; 0. */
    public int draw(long randomBits) {
        final int column = Hashing.reduce(randomBits, alias.length);
        return (randomBits & (COIN_SCALE - 1)) < threshold[column] ? column : alias[column];
    }
}
