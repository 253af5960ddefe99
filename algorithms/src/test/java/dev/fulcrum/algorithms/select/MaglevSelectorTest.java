package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.hash.MaglevTable;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaglevSelectorTest {
    private static final int KEYS = 50_000;

    @Test
    void tableSizeIsPrimeAndAtLeastAHundredSlotsPerBackend() {
        final MaglevSelector selector = new MaglevSelector();
        assertEquals(MaglevTable.DEFAULT_SIZE, selector.table(Backends.equal(10)).size());
        final int large = selector.table(Backends.equal(1000)).size();
        assertTrue(Hashing.isPrime(large) && large >= 100_000, "size " + large);
        final int custom = new MaglevSelector(HashKey.clientAddress(), 1000).table(Backends.equal(3)).size();
        assertTrue(Hashing.isPrime(custom) && custom >= 1000, "size " + custom);
    }

    @Test
    void everyBackendOwnsAnAlmostEqualShareOfTheTable() {
        final MaglevSelector selector = new MaglevSelector();
        final int n = 37;
        final MaglevTable table = selector.table(Backends.equal(n));
        final int[] slots = new int[n];
        for (int s = 0; s < table.size(); s++) {
            slots[table.entry(s)]++;
        }
        final double fair = table.size() / (double) n;
        for (int b = 0; b < n; b++) {
            assertEquals(fair, slots[b], fair * 0.02, "backend " + b);
        }
    }

    @Test
    void weightsScaleTheShares() {
        final MaglevTable table = new MaglevSelector().table(Backends.weighted(1, 2, 1));
        final int[] slots = new int[3];
        for (int s = 0; s < table.size(); s++) {
            slots[table.entry(s)]++;
        }
        assertEquals(0.5, slots[1] / (double) table.size(), 0.01);
    }

    @Test
    void removingOneOfTenBackendsMovesFewMoreKeysThanItOwned() {
        final Selector selector = new MaglevSelector();
        final BackendSnapshot ten = Backends.equal(10);
        final BackendSnapshot nine = Backends.without(ten, 6);
        int moved = 0;
        int ownedByRemoved = 0;
        for (int k = 0; k < KEYS; k++) {
            final String before = ten.state(selector.select(ten, TestKey.of(k))).id();
            final String after = nine.state(selector.select(nine, TestKey.of(k))).id();
            ownedByRemoved += before.equals("b6") ? 1 : 0;
            moved += before.equals(after) ? 0 : 1;
        }
        final double fraction = moved / (double) KEYS;
        System.out.printf("maglev: removing 1 of 10 backends moved %.2f %% of keys (%.2f %% were on it)%n",
                fraction * 100, ownedByRemoved * 100.0 / KEYS);
        assertTrue(fraction < 0.1 + 0.02, "moved " + fraction);
    }

    @Test
    void sameKeyAlwaysGoesToTheSameBackendAndADeadOnesKeysSpread() {
        final Selector selector = new MaglevSelector();
        final BackendSnapshot snapshot = Backends.equal(4);
        final int[] before = new int[KEYS];
        for (int k = 0; k < KEYS; k++) {
            before[k] = selector.select(snapshot, TestKey.of(k));
            assertEquals(before[k], selector.select(snapshot, TestKey.of(k)));
        }
        snapshot.state(3).setAliveRelease(false);
        final int[] inherited = new int[4];
        for (int k = 0; k < KEYS; k++) {
            final int after = selector.select(snapshot, TestKey.of(k));
            if (before[k] == 3) {
                inherited[after]++;
            } else {
                assertEquals(before[k], after);
            }
        }
        assertEquals(0, inherited[3]);
        final int total = inherited[0] + inherited[1] + inherited[2];
        for (int b = 0; b < 3; b++) {
            assertEquals(1 / 3.0, inherited[b] / (double) total, 0.05, java.util.Arrays.toString(inherited));
        }
    }
}
