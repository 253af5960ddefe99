package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistentHashSelectorTest {
    private static final int KEYS = 20_000;

    @Test
    void sameKeyAlwaysGoesToTheSameBackend() {
        final Selector selector = new ConsistentHashSelector(HashKey.header("x-user"));
        final BackendSnapshot snapshot = Backends.equal(6);
        for (int user = 0; user < 500; user++) {
            final int first = selector.select(snapshot, new TestKey().client(1).header("x-user", "u" + user));
            for (long client = 2; client < 6; client++) {
                assertEquals(first, selector.select(snapshot,
                        new TestKey().client(client).header("x-user", "u" + user)));
            }
        }
    }

    @Test
    void removingOneOfTenBackendsMovesOnlyItsKeysAboutATenth() {
        final Selector selector = new ConsistentHashSelector();
        final BackendSnapshot ten = Backends.equal(10);
        final BackendSnapshot nine = Backends.without(ten, 4);
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            final int before = selector.select(ten, TestKey.of(k));
            final int after = selector.select(nine, TestKey.of(k));
            final String beforeId = ten.state(before).id();
            final String afterId = nine.state(after).id();
            if (!beforeId.equals(afterId)) {
                assertEquals("b4", beforeId, "a key of a remaining backend moved");
                moved++;
            }
        }
        final double fraction = moved / (double) KEYS;
        System.out.printf("consistent-hash: removing 1 of 10 backends moved %.2f %% of keys%n", fraction * 100);
        assertTrue(fraction < 0.1 + 0.03, "moved " + fraction);
    }

    @Test
    void aDeadBackendsKeysMoveClockwiseAndComeBack() {
        final Selector selector = new ConsistentHashSelector();
        final BackendSnapshot snapshot = Backends.equal(5);
        final int[] before = new int[KEYS];
        for (int k = 0; k < KEYS; k++) {
            before[k] = selector.select(snapshot, TestKey.of(k));
        }
        snapshot.state(0).setAliveRelease(false);
        for (int k = 0; k < KEYS; k++) {
            final int after = selector.select(snapshot, TestKey.of(k));
            if (before[k] == 0) {
                assertNotEquals(0, after);
            } else {
                assertEquals(before[k], after);
            }
        }
        snapshot.state(0).setAliveRelease(true);
        for (int k = 0; k < KEYS; k++) {
            assertEquals(before[k], selector.select(snapshot, TestKey.of(k)));
        }
    }

    @Test
    void keySourcesReadPathCookieAndHeader() {
        final BackendSnapshot snapshot = Backends.equal(8);
        final Selector byPath = new ConsistentHashSelector(HashKey.path());
        final Selector byCookie = new ConsistentHashSelector(HashKey.cookie("sid"));
        int distinctPath = 0;
        int distinctCookie = 0;
        for (int i = 0; i < 200; i++) {
            final int p1 = byPath.select(snapshot, new TestKey().client(1).path("/p" + i));
            assertEquals(p1, byPath.select(snapshot, new TestKey().client(99).path("/p" + i)));
            distinctPath += p1 != byPath.select(snapshot, new TestKey().client(1).path("/p" + (i + 1))) ? 1 : 0;

            final int c1 = byCookie.select(snapshot, new TestKey().client(1).header("cookie", "a=1; sid=s" + i));
            assertEquals(c1, byCookie.select(snapshot,
                    new TestKey().client(5).header("cookie", "sid=s" + i + "; theme=dark")));
            distinctCookie += c1 != byCookie.select(snapshot,
                    new TestKey().client(1).header("cookie", "sid=s" + (i + 1))) ? 1 : 0;
        }
        assertTrue(distinctPath > 100 && distinctCookie > 100, distinctPath + " " + distinctCookie);
    }

    @Test
    void heavierBackendsOwnMoreOfTheRing() {
        final Selector selector = new ConsistentHashSelector();
        final BackendSnapshot snapshot = Backends.weighted(1, 3);
        final int[] counts = new int[2];
        for (int k = 0; k < KEYS; k++) {
            counts[selector.select(snapshot, TestKey.of(k))]++;
        }
        assertEquals(0.75, counts[1] / (double) KEYS, 0.05);
    }
}
