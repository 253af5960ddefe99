package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every registered algorithm must do, whatever its policy. */
class SelectorContractTest {
    private static final int PICKS = 4000;

    static Stream<String> algorithms() {
        return SelectorFactory.algorithms().stream();
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void emptySnapshotGivesNoBackend(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        assertEquals(Selector.NO_BACKEND, selector.select(BackendSnapshot.EMPTY, RequestKey.NONE));
        assertEquals(Selector.NO_BACKEND, selector.select(BackendSnapshot.builder().build(), TestKey.of(1)));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void oneBackendTakesEveryRequest(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendSnapshot snapshot = Backends.weighted(3);
        for (int i = 0; i < 200; i++) {
            assertEquals(0, selector.select(snapshot, TestKey.of(i)));
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void allDeadGivesNoBackend(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendSnapshot snapshot = Backends.weighted(1, 2, 3, 4);
        for (int i = 0; i < snapshot.size(); i++) {
            snapshot.state(i).setAliveRelease(false);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Selector.NO_BACKEND, selector.select(snapshot, TestKey.of(i)));
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void allFullGivesNoBackend(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendState[] states = Backends.states(3);
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (BackendState state : states) {
            builder.add(state, 1, 2);
            Backends.acquire(state, 2);
        }
        final BackendSnapshot snapshot = builder.build();
        for (int i = 0; i < 100; i++) {
            assertEquals(Selector.NO_BACKEND, selector.select(snapshot, TestKey.of(i)));
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void allDrainedGivesNoBackend(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendSnapshot snapshot = Backends.weighted(0, 0, 0);
        for (int i = 0; i < 100; i++) {
            assertEquals(Selector.NO_BACKEND, selector.select(snapshot, TestKey.of(i)));
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void skipsDeadBackendWhenOthersAreHealthy(String algorithm) {
        final BackendSnapshot snapshot = Backends.equal(4);
        snapshot.state(1).setAliveRelease(false);
        assertSkips(SelectorFactory.create(algorithm), snapshot, 1);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void skipsFullBackendWhenOthersHaveRoom(String algorithm) {
        final BackendState[] states = Backends.states(4);
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < states.length; i++) {
            builder.add(states[i], 1, i == 2 ? 1 : 1000);
        }
        final BackendSnapshot snapshot = builder.build();
        Backends.acquire(states[2], 1);
        assertSkips(SelectorFactory.create(algorithm), snapshot, 2);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void skipsDrainedBackendWhenAnotherIsHealthy(String algorithm) {
        assertSkips(SelectorFactory.create(algorithm), Backends.weighted(1, 1, 1, 0), 3);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void spreadsEqualBackendsOverManyKeys(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendSnapshot snapshot = Backends.equal(4);
        final int[] counts = new int[4];
        for (int i = 0; i < PICKS; i++) {
            counts[selector.select(snapshot, TestKey.of(i))]++;
        }
        for (int count : counts) {
            assertTrue(count > PICKS / 4 * 0.8 && count < PICKS / 4 * 1.2,
                    algorithm + " counts " + java.util.Arrays.toString(counts));
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void followsMembershipChanges(String algorithm) {
        final Selector selector = SelectorFactory.create(algorithm);
        final BackendSnapshot five = Backends.equal(5);
        selector.prepare(five);
        final BackendSnapshot three = Backends.without(Backends.without(five, 4), 3);
        for (int i = 0; i < 500; i++) {
            final int picked = selector.select(i % 2 == 0 ? five : three, TestKey.of(i));
            assertTrue(picked >= 0 && picked < (i % 2 == 0 ? 5 : 3), algorithm + " picked " + picked);
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void nameIsCanonicalAndUnderscoreSpellingIsAccepted(String algorithm) {
        assertEquals(algorithm, SelectorFactory.create(algorithm).name());
        assertEquals(algorithm, SelectorFactory.canonicalName(algorithm.replace('-', '_').toUpperCase()));
    }

    private static void assertSkips(Selector selector, BackendSnapshot snapshot, int skipped) {
        final int[] counts = new int[snapshot.size()];
        for (int i = 0; i < PICKS; i++) {
            final int picked = selector.select(snapshot, TestKey.of(i));
            assertNotEquals(Selector.NO_BACKEND, picked, selector.name());
            counts[picked]++;
        }
        assertEquals(0, counts[skipped], selector.name() + " picked the ineligible backend");
        for (int i = 0; i < counts.length; i++) {
            if (i != skipped) {
                assertTrue(counts[i] > PICKS / (counts.length - 1) / 2,
                        selector.name() + " counts " + java.util.Arrays.toString(counts));
            }
        }
    }
}
