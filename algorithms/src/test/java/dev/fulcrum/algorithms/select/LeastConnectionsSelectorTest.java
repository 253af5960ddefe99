package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastConnectionsSelectorTest {

    @Test
    void picksTheBackendWithFewestInFlight() {
        final Selector selector = new LeastConnectionsSelector(RandomSource.seeded(1));
        final BackendSnapshot snapshot = Backends.equal(4);
        Backends.acquire(snapshot.state(0), 5);
        Backends.acquire(snapshot.state(1), 2);
        Backends.acquire(snapshot.state(2), 7);
        Backends.acquire(snapshot.state(3), 3);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, selector.select(snapshot, RequestKey.NONE));
        }
    }

    @Test
    void balancesInFlightWhenRequestsStayOpen() {
        final Selector selector = new LeastConnectionsSelector(RandomSource.seeded(2));
        final BackendSnapshot snapshot = Backends.equal(5);
        for (int i = 0; i < 500; i++) {
            Backends.acquire(snapshot.state(selector.select(snapshot, RequestKey.NONE)), 1);
        }
        for (int b = 0; b < 5; b++) {
            assertEquals(100, snapshot.state(b).inFlightOpaque());
        }
    }

    @Test
    void spreadsSequentialTrafficOverTiedBackends() {
        final Selector selector = new LeastConnectionsSelector(RandomSource.seeded(3));
        final BackendSnapshot snapshot = Backends.equal(3);
        final int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        for (int count : counts) {
            assertTrue(count > 800, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void weightedVariantDividesInFlightByWeight() {
        final Selector selector = new WeightedLeastConnectionsSelector(RandomSource.seeded(4));
        final BackendSnapshot snapshot = Backends.weighted(1, 4);
        Backends.acquire(snapshot.state(0), 1);   // (1+1)/1 = 2
        Backends.acquire(snapshot.state(1), 5);   // (5+1)/4 = 1.5
        assertEquals(1, selector.select(snapshot, RequestKey.NONE));
        Backends.acquire(snapshot.state(1), 3);   // (8+1)/4 = 2.25
        assertEquals(0, selector.select(snapshot, RequestKey.NONE));
    }

    @Test
    void weightedVariantFillsBackendsInProportionToWeight() {
        final Selector selector = new WeightedLeastConnectionsSelector(RandomSource.seeded(5));
        final BackendSnapshot snapshot = Backends.weighted(1, 2, 5);
        for (int i = 0; i < 800; i++) {
            Backends.acquire(snapshot.state(selector.select(snapshot, RequestKey.NONE)), 1);
        }
        assertEquals(100, snapshot.state(0).inFlightOpaque(), 1);
        assertEquals(200, snapshot.state(1).inFlightOpaque(), 1);
        assertEquals(500, snapshot.state(2).inFlightOpaque(), 1);
    }
}
