package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class IpHashSelectorTest {
    private static final int CLIENTS = 10_000;

    @Test
    void sameClientAddressAlwaysGoesToTheSameBackend() {
        final Selector selector = new IpHashSelector();
        final BackendSnapshot snapshot = Backends.equal(7);
        for (long client = 0; client < 1000; client++) {
            final int first = selector.select(snapshot, new TestKey().client(client).path("/a"));
            for (int repeat = 0; repeat < 5; repeat++) {
                assertEquals(first, selector.select(snapshot, new TestKey().client(client).path("/b" + repeat)));
            }
        }
    }

    @Test
    void aDeadBackendMovesOnlyItsOwnClients() {
        final Selector selector = new IpHashSelector();
        final BackendSnapshot snapshot = Backends.equal(5);
        final int[] before = new int[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            before[c] = selector.select(snapshot, new TestKey().client(c));
        }
        snapshot.state(2).setAliveRelease(false);
        for (int c = 0; c < CLIENTS; c++) {
            final int after = selector.select(snapshot, new TestKey().client(c));
            if (before[c] == 2) {
                assertNotEquals(2, after);
                assertEquals(after, selector.select(snapshot, new TestKey().client(c)), "substitute is stable");
            } else {
                assertEquals(before[c], after);
            }
        }
    }

    @Test
    void appendingABackendMovesAboutOneInNClients() {
        final Selector selector = new IpHashSelector();
        final BackendSnapshot four = Backends.equal(4);
        final BackendSnapshot five = Backends.equal(5);
        int moved = 0;
        for (int c = 0; c < CLIENTS; c++) {
            if (selector.select(four, new TestKey().client(c)) != selector.select(five, new TestKey().client(c))) {
                moved++;
            }
        }
        assertEquals(0.2, moved / (double) CLIENTS, 0.02);
    }
}
