package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedLoadSelectorTest {

    @Test
    void noBackendExceedsTheFactorTimesTheMeanEvenForOneHotKey() {
        final Selector selector = new BoundedLoadSelector();
        final int n = 10;
        final BackendSnapshot snapshot = Backends.equal(n);
        final TestKey hot = TestKey.of(12345);
        for (int total = 1; total <= 1000; total++) {
            final int picked = selector.select(snapshot, hot);
            Backends.acquire(snapshot.state(picked), 1);
            final long bound = (long) Math.ceil(BoundedLoadSelector.DEFAULT_FACTOR * total / n);
            for (int b = 0; b < n; b++) {
                assertTrue(snapshot.state(b).inFlightOpaque() <= bound,
                        "backend " + b + " holds " + snapshot.state(b).inFlightOpaque() + " > " + bound);
            }
        }
    }

    @Test
    void noBackendExceedsTheBoundUnderManyKeys() {
        final Selector selector = new BoundedLoadSelector(HashKey.clientAddress(), 1.1);
        final int n = 7;
        final BackendSnapshot snapshot = Backends.equal(n);
        for (int total = 1; total <= 2000; total++) {
            Backends.acquire(snapshot.state(selector.select(snapshot, TestKey.of(total % 50))), 1);
            final long bound = (long) Math.ceil(1.1 * total / n);
            for (int b = 0; b < n; b++) {
                assertTrue(snapshot.state(b).inFlightOpaque() <= bound);
            }
        }
    }

    @Test
    void withoutLoadItIsPlainConsistentHashing() {
        final Selector bounded = new BoundedLoadSelector();
        final Selector ring = new ConsistentHashSelector();
        final BackendSnapshot snapshot = Backends.equal(9);
        for (int k = 0; k < 5000; k++) {
            assertEquals(ring.select(snapshot, TestKey.of(k)), bounded.select(snapshot, TestKey.of(k)));
        }
    }

    @Test
    void removingOneOfTenBackendsMovesAboutATenthOfKeys() {
        final Selector selector = new BoundedLoadSelector();
        final BackendSnapshot ten = Backends.equal(10);
        final BackendSnapshot nine = Backends.without(ten, 0);
        int moved = 0;
        final int keys = 20_000;
        for (int k = 0; k < keys; k++) {
            final String before = ten.state(selector.select(ten, TestKey.of(k))).id();
            final String after = nine.state(selector.select(nine, TestKey.of(k))).id();
            moved += before.equals(after) ? 0 : 1;
        }
        final double fraction = moved / (double) keys;
        System.out.printf("bounded-load (idle): removing 1 of 10 backends moved %.2f %% of keys%n", fraction * 100);
        assertTrue(fraction < 0.13, "moved " + fraction);
    }

    @Test
    void rejectsAFactorOfOneOrLess() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BoundedLoadSelector(HashKey.clientAddress(), 1.0));
    }
}
