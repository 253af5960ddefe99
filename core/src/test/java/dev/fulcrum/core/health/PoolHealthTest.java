package dev.fulcrum.core.health;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.OutlierConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outlier detection and panic routing on a stepped clock. */
class PoolHealthTest {
    private static final long MS = 1_000_000L;
    private final List<String> log = new ArrayList<>();
    private final PoolHealth.Events events = new PoolHealth.Events() {
        @Override
        public void ejected(BackendState backend, int consecutiveFailures, long forMillis, int inARow) {
            log.add("eject " + backend.id() + " " + forMillis);
        }

        @Override
        public void returned(BackendState backend) {
            log.add("return " + backend.id());
        }

        @Override
        public void panic(boolean entered, int healthy, int total) {
            log.add((entered ? "panic " : "calm ") + healthy + "/" + total);
        }
    };

    private static List<BackendState> backends(int n) {
        final List<BackendState> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new BackendState("b" + i, BackendAddress.parse("http://127.0.0.1:" + (9000 + i))));
        }
        return list;
    }

    private static void fail(BackendState state, int times) {
        for (int i = 0; i < times; i++) {
            state.recordServerError();
        }
    }

    @Test
    void ejectsAfterConsecutiveFailuresForAGrowingTimeCappedAtTheMaximum() {
        final List<BackendState> states = backends(10);
        final PoolHealth pool = new PoolHealth(states, new OutlierConfig(true, 3, 100, 250, 50, 0), events);
        final BackendState b0 = states.get(0);
        fail(b0, 2);
        b0.recordSuccess();
        fail(b0, 2);
        pool.tick(0);
        assertTrue(b0.isAliveOpaque(), "a success broke the run: 2 + 2 is not 3 in a row");
        fail(b0, 1);
        pool.tick(1 * MS);
        assertFalse(b0.isAliveOpaque());
        assertEquals(List.of("eject b0 100"), log);
        pool.tick(100 * MS);
        assertFalse(b0.isAliveOpaque(), "still inside its 100 ms");
        pool.tick(101 * MS);
        assertTrue(b0.isAliveOpaque());
        assertEquals(0, b0.consecutiveFailuresOpaque());
        fail(b0, 3);
        pool.tick(102 * MS);
        pool.tick(302 * MS);
        assertTrue(b0.isAliveOpaque());
        fail(b0, 3);
        pool.tick(303 * MS);
        assertEquals(List.of("eject b0 100", "return b0", "eject b0 200", "return b0", "eject b0 250"), log,
                "100, 200, then capped at 250");
    }

    @Test
    void neverEjectsMoreThanTheMaximumPercentButAlwaysAllowsOne() {
        final List<BackendState> states = backends(4);
        final PoolHealth pool = new PoolHealth(states, new OutlierConfig(true, 1, 1_000, 1_000, 10, 0), events);
        for (BackendState s : states) {
            fail(s, 5);
        }
        pool.tick(0);
        long ejected = states.stream().filter(s -> !s.isAliveOpaque()).count();
        assertEquals(1, ejected, "10 % of 4 rounds to 0; one may still go");
    }

    @Test
    void theMultiplierDecaysAfterACleanBaseTime() {
        final List<BackendState> states = backends(2);
        final PoolHealth pool = new PoolHealth(states, new OutlierConfig(true, 1, 100, 1_000, 50, 0), events);
        fail(states.get(0), 1);
        pool.tick(0);                 // ejection 1: 100 ms
        pool.tick(100 * MS);          // back
        pool.tick(200 * MS);          // clean for 100 ms: multiplier 1 -> 0
        fail(states.get(0), 1);
        pool.tick(201 * MS);
        assertEquals("eject b0 100", log.get(log.size() - 1), "the multiplier went back down");
    }

    @Test
    void panicRoutesToEveryAdmittedBackendWhenTooFewAreHealthy() {
        final List<BackendState> states = backends(4);
        final PoolHealth pool = new PoolHealth(states, new OutlierConfig(false, 5, 1_000, 1_000, 10, 50), events);
        pool.setActiveHealthy(0, false, true);
        pool.tick(0);
        assertFalse(states.get(0).isAliveOpaque(), "3 of 4 healthy: no panic");
        pool.setActiveHealthy(1, false, true);
        pool.setActiveHealthy(2, false, true);
        pool.setActiveHealthy(3, false, false);
        pool.tick(MS);
        assertTrue(pool.inPanic());
        assertTrue(states.get(0).isAliveOpaque() && states.get(1).isAliveOpaque() && states.get(2).isAliveOpaque());
        assertFalse(states.get(3).isAliveOpaque(), "never passed a check: not even in a panic");
        pool.setActiveHealthy(1, true, true);
        pool.setActiveHealthy(2, true, true);
        pool.tick(2 * MS);
        assertFalse(pool.inPanic());
        assertFalse(states.get(0).isAliveOpaque());
        assertEquals(List.of("panic 0/4", "calm 2/4"), log);
    }
}
