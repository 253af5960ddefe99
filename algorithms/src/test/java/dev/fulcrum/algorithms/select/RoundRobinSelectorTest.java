package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundRobinSelectorTest {

    @Test
    void rotatesStrictlyInListOrder() {
        final Selector selector = new RoundRobinSelector();
        final BackendSnapshot snapshot = Backends.equal(3);
        for (int i = 0; i < 30; i++) {
            assertEquals(i % 3, selector.select(snapshot, RequestKey.NONE));
        }
    }

    @Test
    void spreadsASkippedTurnEvenlyInsteadOfHandingItToTheNeighbour() {
        final Selector selector = new RoundRobinSelector();
        final BackendSnapshot snapshot = Backends.equal(4);
        snapshot.state(1).setAliveRelease(false);
        final int picks = 12_000;
        final int[] counts = new int[4];
        for (int i = 0; i < picks; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        assertEquals(0, counts[1]);
        for (int b : new int[] {0, 2, 3}) {
            assertEquals(picks / 3.0, counts[b], picks * 0.005, "backend " + b);
        }
    }
}
