package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightedRandomSelectorTest {
    /** Chi-square critical value for 4 degrees of freedom at p = 0.001. */
    private static final double CHI_SQUARE_4_DF_P001 = 18.47;

    @Test
    void drawsInProportionToWeightByChiSquare() {
        final int[] weights = {1, 2, 3, 4, 10};
        final Selector selector = new WeightedRandomSelector(RandomSource.seeded(42));
        final BackendSnapshot snapshot = Backends.weighted(weights);
        final int picks = 100_000;
        final int[] counts = new int[weights.length];
        for (int i = 0; i < picks; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        double chiSquare = 0;
        for (int b = 0; b < weights.length; b++) {
            final double expected = picks * weights[b] / 20.0;
            chiSquare += (counts[b] - expected) * (counts[b] - expected) / expected;
            assertEquals(weights[b] / 20.0, counts[b] / (double) picks, 0.01, "backend " + b);
        }
        assertTrue(chiSquare < CHI_SQUARE_4_DF_P001, "chi-square " + chiSquare);
    }

    @Test
    void aliasTableIsExactForEveryColumn() {
        final BackendSnapshot snapshot = Backends.weighted(7, 0, 1, 3, 5);
        final AliasTable table = AliasTable.build(snapshot);
        // Enumerate every column with a fine grid of coins: the mass each backend gets must match its weight.
        final int n = table.size();
        final int coins = 1 << 12;
        final double[] mass = new double[n];
        for (int column = 0; column < n; column++) {
            final long high = ((long) column << 32) / n + (1L << 32) / (2L * n); // inside the column's range
            for (int c = 0; c < coins; c++) {
                final long bits = (high << 32) | ((long) c << 19);
                mass[table.draw(bits)] += 1.0 / (n * (double) coins);
            }
        }
        final double[] expected = {7 / 16.0, 0, 1 / 16.0, 3 / 16.0, 5 / 16.0};
        for (int b = 0; b < n; b++) {
            assertEquals(expected[b], mass[b], 1e-3, "backend " + b);
        }
    }

    @Test
    void redistributesAnUnavailableBackendsShareByWeight() {
        final Selector selector = new WeightedRandomSelector(RandomSource.seeded(7));
        final BackendSnapshot snapshot = Backends.weighted(6, 1, 3);
        snapshot.state(0).setAliveRelease(false);
        final int picks = 50_000;
        final int[] counts = new int[3];
        for (int i = 0; i < picks; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        assertEquals(0, counts[0]);
        assertEquals(0.25, counts[1] / (double) picks, 0.01);
        assertEquals(0.75, counts[2] / (double) picks, 0.01);
    }
}
