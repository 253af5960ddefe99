package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowerOfTwoChoicesSelectorTest {

    @Test
    void withTwoBackendsAlwaysPicksTheLessLoaded() {
        final Selector selector = new PowerOfTwoChoicesSelector(RandomSource.seeded(1));
        final BackendSnapshot snapshot = Backends.equal(2);
        Backends.acquire(snapshot.state(0), 3);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, selector.select(snapshot, RequestKey.NONE));
        }
    }

    @Test
    void neverPicksTheUniquelyMostLoadedBackend() {
        final Selector selector = new PowerOfTwoChoicesSelector(RandomSource.seeded(2));
        final BackendSnapshot snapshot = Backends.equal(5);
        Backends.acquire(snapshot.state(3), 10);
        for (int i = 0; i < 2000; i++) {
            assertNotEquals(3, selector.select(snapshot, RequestKey.NONE));
        }
    }

    @Test
    void keepsTheLoadGapSmallWhenRequestsStayOpen() {
        final Selector selector = new PowerOfTwoChoicesSelector(RandomSource.seeded(3));
        final BackendSnapshot snapshot = Backends.equal(16);
        for (int i = 0; i < 16_000; i++) {
            Backends.acquire(snapshot.state(selector.select(snapshot, RequestKey.NONE)), 1);
        }
        for (int b = 0; b < 16; b++) {
            // one random choice would spread about +-32 (3 sigma); two choices keep it within a handful
            assertEquals(1000, snapshot.state(b).inFlightOpaque(), 5, "backend " + b);
        }
    }

    @Test
    void weightedVariantFillsBackendsInProportionToWeight() {
        final Selector selector = new WeightedPowerOfTwoChoicesSelector(RandomSource.seeded(4));
        final BackendSnapshot snapshot = Backends.weighted(1, 3, 6);
        for (int i = 0; i < 1000; i++) {
            Backends.acquire(snapshot.state(selector.select(snapshot, RequestKey.NONE)), 1);
        }
        assertEquals(100, snapshot.state(0).inFlightOpaque(), 10);
        assertEquals(300, snapshot.state(1).inFlightOpaque(), 10);
        assertEquals(600, snapshot.state(2).inFlightOpaque(), 10);
    }

    @Test
    void weightedVariantWithoutLoadFollowsWeights() {
        final Selector selector = new WeightedPowerOfTwoChoicesSelector(RandomSource.seeded(5));
        final BackendSnapshot snapshot = Backends.weighted(1, 1, 8);
        final int[] counts = new int[3];
        for (int i = 0; i < 10_000; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        assertTrue(counts[2] > counts[0] * 4, java.util.Arrays.toString(counts));
    }
}
