package dev.fulcrum.core.pool;

import dev.fulcrum.algorithms.select.RequestKey;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.algorithms.snapshot.BackendAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerPoolTest {
    private static final String B1 = "http://127.0.0.1:9001";
    private static final String B2 = "http://127.0.0.1:9002";
    private static final String B3 = "http://127.0.0.1:9003";

    private static BackendConfig backend(String url, int weight, int maxConnections) {
        return new BackendConfig(BackendAddress.parse(url), weight, maxConnections);
    }

    private static ServerPool pool(String... urls) {
        final List<BackendConfig> list = new ArrayList<>();
        for (String url : urls) {
            list.add(BackendConfig.of(url));
        }
        return new ServerPool("round-robin", list);
    }

    @Test
    void updateKeepsTheStateOfBackendsThatRemainSoCountersSurvive() {
        final ServerPool pool = pool(B1, B2);
        final BackendState s1 = pool.backendByUrl(B1);
        final BackendState s2 = pool.backendByUrl(B2);
        assertTrue(s1.tryAcquire(10));
        final long versionBefore = pool.snapshot().version();

        pool.updateBackends(List.of(backend(B3, 1, 5), backend(B1, 4, 7)));

        final BackendSnapshot snapshot = pool.snapshot();
        assertEquals(2, snapshot.size());
        assertEquals(B3, snapshot.state(0).address().url(), "new order is the configured order");
        assertSame(s1, snapshot.state(1), "B1 keeps its state object");
        assertEquals(1, snapshot.state(1).inFlightOpaque(), "and its in-flight count");
        assertEquals(4, snapshot.weight(1), "but takes the new weight");
        assertEquals(7, snapshot.maxInFlight(1), "and the new cap");
        assertNull(pool.backendByUrl(B2), "B2 is gone");
        assertNotSame(s2, pool.backendByUrl(B3));
        assertTrue(snapshot.version() > versionBefore, "a new snapshot was published");
    }

    @Test
    void removedThenReAddedBackendStartsWithFreshStateButTheSameId() {
        final ServerPool pool = pool(B1, B2);
        final BackendState old = pool.backendByUrl(B1);
        assertTrue(pool.removeBackend(B1));
        assertFalse(pool.removeBackend(B1), "second removal finds nothing");
        assertEquals(1, pool.snapshot().size());
        assertTrue(pool.addBackend(BackendConfig.of(B1)));
        final BackendState fresh = pool.backendByUrl(B1);
        assertNotSame(old, fresh);
        assertEquals(old.id(), fresh.id(), "ids derive from scheme, host and port, so they are stable");
        assertEquals(B1, pool.snapshot().state(1).address().url(), "added at the end");
    }

    @Test
    void addingTheSameBackendTwiceIsRefused() {
        final ServerPool pool = pool(B1);
        assertFalse(pool.addBackend(BackendConfig.of("http://127.0.0.1:9001/other-path")));
        assertEquals(1, pool.snapshot().size());
    }

    @Test
    void updateWithADuplicateChangesNothing() {
        final ServerPool pool = pool(B1);
        final long version = pool.snapshot().version();
        assertThrows(IllegalArgumentException.class,
                () -> pool.updateBackends(List.of(BackendConfig.of(B2), BackendConfig.of(B2 + "/"))));
        assertEquals(version, pool.snapshot().version());
        assertEquals(List.of(BackendConfig.of(B1)), pool.backends());
    }

    @Test
    void idsAreOpaqueStableAndDistinct() {
        final ServerPool a = pool(B1, B2, B3);
        final ServerPool b = pool(B3, B1);
        final String id1 = a.backendByUrl(B1).id();
        assertFalse(id1.contains("127.0.0.1"), "ids do not leak the URL: " + id1);
        assertTrue(id1.matches("b[0-9a-f]{8}"), id1);
        assertEquals(id1, b.backendByUrl(B1).id(), "same backend, same id, whatever the order");
        assertNotEquals(id1, a.backendByUrl(B2).id());
        assertNotEquals(a.backendByUrl(B2).id(), a.backendByUrl(B3).id());
    }

    @Test
    void lookupByUrlIgnoresPathAndHostCase() {
        final ServerPool pool = pool("http://Backend.test:9001/base");
        assertNotNull(pool.backendByUrl("http://backend.TEST:9001"));
        assertNull(pool.backendByUrl("https://backend.test:9001"));
        assertNull(pool.backendByUrl("not a url"));
        assertNull(pool.backendByUrl(null));
    }

    private static void assertNotNull(Object o) {
        assertTrue(o != null);
    }

    @Test
    void markAliveFlipsTheFlagTheSelectorsRead() {
        final ServerPool pool = pool(B1, B2);
        assertTrue(pool.markAlive(B1, false));
        assertFalse(pool.snapshot().isEligible(0));
        for (int i = 0; i < 4; i++) {
            final int index = pool.selector().select(pool.snapshot(), RequestKey.NONE);
            assertEquals(1, index, "dead B1 is never selected");
        }
        assertTrue(pool.markAlive(B1, true));
        assertTrue(pool.snapshot().isEligible(0));
        assertFalse(pool.markAlive(B3, true), "unknown URL");
    }

    @Test
    void aBackendAddedOutOfRotationIsPublishedDeadSoNoRequestReachesItBeforeItsVerdict() {
        final ServerPool pool = pool(B1);
        assertTrue(pool.addBackend(BackendConfig.of(B2), false));
        final BackendSnapshot snapshot = pool.snapshot();
        assertEquals(2, snapshot.size());
        assertFalse(pool.backendByUrl(B2).isAliveOpaque(), "dead in the first snapshot that lists it");
        for (int i = 0; i < 20; i++) {
            final int index = ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE);
            assertEquals(B1, snapshot.state(index).address().url());
            snapshot.state(index).release();
        }
        assertFalse(pool.addBackend(BackendConfig.of(B2), true), "a duplicate is still refused");
        pool.markAlive(B2, true);
        assertTrue(pool.backendByUrl(B2).isAliveOpaque());
    }

    @Test
    void selectAndAcquireClaimsASlotOnTheSelectedBackend() {
        final ServerPool pool = new ServerPool("rr", List.of(backend(B1, 1, 2)));
        final BackendSnapshot snapshot = pool.snapshot();
        assertEquals(0, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE));
        assertEquals(0, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE));
        assertEquals(2, snapshot.state(0).inFlightOpaque());
        assertEquals(Selector.NO_BACKEND, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE),
                "cap of 2 reached");
        snapshot.state(0).release();
        assertEquals(0, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE));
    }

    @Test
    void selectAndAcquireSkipsABackendThatFilledUpAfterSelection() {
        final ServerPool pool = new ServerPool("rr", List.of(backend(B1, 1, 1), backend(B2, 1, 1)));
        final BackendSnapshot snapshot = pool.snapshot();
        assertTrue(snapshot.state(0).tryAcquire(1), "B1 is now at its cap");
        // A selector that saw B1 as eligible just before another event loop filled it: picks B1, then B2.
        final ScriptedSelector racing = new ScriptedSelector(0, 1);

        assertEquals(1, ServerPool.selectAndAcquire(snapshot, racing, RequestKey.NONE));
        assertEquals(2, racing.calls, "selected again after losing the race");
        assertEquals(1, snapshot.state(0).inFlightOpaque(), "B1 not over-claimed");
        assertEquals(1, snapshot.state(1).inFlightOpaque());
    }

    @Test
    void selectAndAcquireReturnsNoBackendWhenAllAreAtTheirCapAndTriesAtMostSizeTimes() {
        final ServerPool pool = new ServerPool("rr", List.of(backend(B1, 1, 1), backend(B2, 1, 1),
                backend(B3, 1, 1)));
        final BackendSnapshot snapshot = pool.snapshot();
        for (int i = 0; i < 3; i++) {
            assertTrue(snapshot.state(i).tryAcquire(1));
        }
        final ScriptedSelector stale = new ScriptedSelector(0, 1, 2, 0, 1, 2, 0);
        assertEquals(Selector.NO_BACKEND, ServerPool.selectAndAcquire(snapshot, stale, RequestKey.NONE));
        assertEquals(3, stale.calls, "bounded by the snapshot size");
        assertEquals(Selector.NO_BACKEND, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE),
                "the real selector sees nothing eligible");
        for (int i = 0; i < 3; i++) {
            assertEquals(1, snapshot.state(i).inFlightOpaque());
        }
    }

    @Test
    void selectAndAcquireOnAnEmptyPoolReturnsNoBackend() {
        final ServerPool pool = new ServerPool("round-robin", List.of());
        assertEquals(Selector.NO_BACKEND,
                ServerPool.selectAndAcquire(pool.snapshot(), pool.selector(), RequestKey.NONE));
    }

    @Test
    void roundRobinThroughSelectAndAcquireSkipsTheBackendAtItsCap() {
        final ServerPool pool = new ServerPool("round-robin", List.of(backend(B1, 1, 1), backend(B2, 1, 100)));
        final BackendSnapshot snapshot = pool.snapshot();
        assertTrue(snapshot.state(0).tryAcquire(1));
        for (int i = 0; i < 6; i++) {
            assertEquals(1, ServerPool.selectAndAcquire(snapshot, pool.selector(), RequestKey.NONE));
        }
        assertEquals(6, snapshot.state(1).inFlightOpaque());
    }

    @Test
    void algorithmIsCanonicalAndUnknownOnesAreRejected() {
        assertEquals("round-robin", new ServerPool("RR", List.of()).algorithm());
        assertThrows(IllegalArgumentException.class, () -> new ServerPool("nope", List.of()));
    }

    /** Returns the scripted indexes in turn, ignoring eligibility, like a selector racing other event loops. */
    private static final class ScriptedSelector implements Selector {
        private final int[] script;
        int calls;

        ScriptedSelector(int... script) {
            this.script = script;
        }

        @Override
        public int select(BackendSnapshot snapshot, RequestKey key) {
            return calls < script.length ? script[calls++] : NO_BACKEND;
        }

        @Override
        public String name() {
            return "scripted";
        }
    }
}
