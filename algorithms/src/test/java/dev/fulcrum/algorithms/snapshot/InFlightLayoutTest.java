package dev.fulcrum.algorithms.snapshot;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-flight word outside the state: packing, the snapshot's view of it, pages and swaps. */
class InFlightLayoutTest {
    private static BackendState state(String id) {
        return new BackendState(id, BackendAddress.parse("http://" + id + ".test:80"));
    }

    @Test
    void backendsCreatedTogetherGetConsecutiveCellsOfOnePage() {
        final BackendState first = state("a");
        final BackendState second = state("b");
        if (second.cellPage() == first.cellPage()) {
            assertEquals(first.cellIndex() + 1, second.cellIndex());
        } else {
            // The first took the last cell of a page: the second starts the next one.
            assertEquals(InFlightCells.PAGE_CELLS - 1, first.cellIndex());
            assertEquals(0, second.cellIndex());
        }
    }

    @Test
    void deadFlagAndInFlightCountAreIndependentHalvesOfTheWord() {
        final BackendState s = state("b0");
        assertTrue(s.tryAcquire(10));
        assertTrue(s.tryAcquire(10));
        s.setAliveRelease(false);
        assertFalse(s.isAliveOpaque());
        assertEquals(2, s.inFlightOpaque());
        // tryAcquire enforces the cap only; the dead flag rides along and survives acquire and release.
        assertTrue(s.tryAcquire(3));
        assertFalse(s.tryAcquire(3));
        assertEquals(3, s.inFlightOpaque());
        s.release();
        s.release();
        s.release();
        assertEquals(0, s.inFlightOpaque());
        assertFalse(s.isAliveOpaque());
        s.setAliveRelease(true);
        assertTrue(s.isAliveOpaque());
        assertEquals(0, s.inFlightOpaque());
        assertEquals(3, s.requestsOpaque());
    }

    @Test
    void aCapAboveTheCountBitsIsClampedNotOverflowed() {
        final BackendState s = state("b0");
        assertTrue(s.tryAcquire(Integer.MAX_VALUE));
        final BackendSnapshot snapshot = BackendSnapshot.builder().add(s, 1, Integer.MAX_VALUE).build();
        assertEquals(InFlightCells.COUNT_MASK, snapshot.admitBelow(0));
        assertTrue(snapshot.isEligible(0));
        s.setAliveRelease(false);
        assertFalse(snapshot.isEligible(0), "dead is never below a cap, however large");
    }

    @Test
    void snapshotWordIsTheCountWhenEligibleAndAdmitBelowIsZeroWhenDrained() {
        final BackendState live = state("live");
        final BackendState drained = state("drained");
        final BackendState full = state("full");
        final BackendState dead = state("dead");
        live.tryAcquire(5);
        drained.tryAcquire(5);
        full.tryAcquire(1);
        dead.setAliveRelease(false);
        final BackendSnapshot snapshot = BackendSnapshot.builder()
                .add(live, 2, 5).add(drained, 0, 5).add(full, 1, 1).add(dead, 1, 5).build();
        assertEquals(1, snapshot.inFlightWordPlain(0));
        assertEquals(5, snapshot.admitBelow(0));
        assertTrue(snapshot.isEligible(0));
        assertEquals(0, snapshot.admitBelow(1));
        assertFalse(snapshot.isEligible(1));
        assertFalse(snapshot.isEligible(2));
        assertTrue(snapshot.inFlightWordPlain(3) >= InFlightCells.DEAD);
        assertFalse(snapshot.isEligible(3));
    }

    @Test
    void countsSurviveSnapshotSwapsAndReorderingAcrossPages() {
        // More backends than one page holds, so the list spans at least two pages.
        final int n = InFlightCells.PAGE_CELLS + 100;
        final List<BackendState> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            states.add(state("b" + i));
            for (int f = 0; f < i % 7; f++) {
                states.get(i).tryAcquire(100);
            }
        }
        assertNotSame(states.get(0).cellPage(), states.get(n - 1).cellPage());
        final BackendSnapshot.Builder forward = BackendSnapshot.builder();
        final BackendSnapshot.Builder backward = BackendSnapshot.builder();
        for (int i = 0; i < n; i++) {
            forward.add(states.get(i), 1, 100);
            backward.add(states.get(n - 1 - i), 1, 100);
        }
        final BackendSnapshot first = forward.build();
        final BackendSnapshot second = backward.build();
        states.get(3).release();
        states.get(n - 4).tryAcquire(100);
        for (int i = 0; i < n; i++) {
            assertEquals(states.get(i).inFlightOpaque(), first.inFlightWordPlain(i), "forward " + i);
            assertEquals(states.get(n - 1 - i).inFlightOpaque(), second.inFlightWordPlain(i), "backward " + i);
        }
        final BackendSnapshot stamped = first.withVersion(7);
        assertSame(first.layoutKey(), stamped.layoutKey());
        assertEquals(first.inFlightWordPlain(3), stamped.inFlightWordPlain(3));
    }
}
