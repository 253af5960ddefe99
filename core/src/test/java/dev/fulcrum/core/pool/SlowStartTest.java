package dev.fulcrum.core.pool;

import dev.fulcrum.algorithms.select.HashKey;
import dev.fulcrum.algorithms.select.SelectorOptions;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.core.config.BackendConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slow start: a backend that comes back ramps its published weight over the window, on an injected clock. */
class SlowStartTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String B1 = "http://127.0.0.1:9001";
    private static final String B2 = "http://127.0.0.1:9002";

    private final AtomicLong clock = new AtomicLong(5 * SECOND);

    private ServerPool pool(String algorithm, long slowStartNanos) {
        final SelectorOptions options = new SelectorOptions(HashKey.clientAddress(), 1.25, 65537, 160,
                slowStartNanos, SelectorOptions.DEFAULT_STICKY_COOKIE, "round-robin",
                SelectorOptions.AdaptiveOptions.DEFAULTS);
        return new ServerPool(algorithm, options, List.of(BackendConfig.of(B1),
                new BackendConfig(BackendConfig.of(B2).address(), 3, 1000)), clock::get, null);
    }

    @Test
    void initialBackendsStartAtFullWeight() {
        final ServerPool pool = pool("weighted-round-robin", 10 * SECOND);
        assertEquals(1, pool.snapshot().weight(0));
        assertEquals(3, pool.snapshot().weight(1));
        assertFalse(pool.tickSlowStart());
    }

    @Test
    void aRevivedBackendRampsLinearlyOverTheWindowThenPlainWeightsReturn() {
        final ServerPool pool = pool("weighted-round-robin", 10 * SECOND);
        pool.markAlive(B2, false);
        pool.markAlive(B2, true);
        BackendSnapshot s = pool.snapshot();
        assertEquals(100, s.weight(0), "weights scale by 100 while a ramp runs");
        assertEquals(3, s.weight(1), "1 % of 300 at the start");

        clock.addAndGet(5 * SECOND);
        assertTrue(pool.tickSlowStart());
        s = pool.snapshot();
        assertEquals(100, s.weight(0));
        assertEquals(150, s.weight(1), "half the window: half the weight");

        final BackendSnapshot unchanged = pool.snapshot();
        assertTrue(pool.tickSlowStart());
        assertSame(unchanged, pool.snapshot(), "no republication when no weight changed");

        clock.addAndGet(5 * SECOND);
        assertFalse(pool.tickSlowStart(), "ramp over");
        s = pool.snapshot();
        assertEquals(1, s.weight(0));
        assertEquals(3, s.weight(1));
    }

    @Test
    void theRampShowsInTheWeightedAlgorithmsShare() {
        final ServerPool pool = pool("weighted-random", 10 * SECOND);
        pool.markAlive(B2, false);
        pool.markAlive(B2, true);
        clock.addAndGet(2 * SECOND);
        pool.tickSlowStart();
        final BackendSnapshot s = pool.snapshot();
        int toB2 = 0;
        final int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            toB2 += pool.selector().select(s, dev.fulcrum.algorithms.select.RequestKey.NONE) == 1 ? 1 : 0;
        }
        // B2 at 20 % of 300 = 60 against B1's 100: 60/160 = 37.5 % instead of its full 75 %.
        assertEquals(0.375, toB2 / (double) picks, 0.01);
    }

    @Test
    void aBackendAddedToARunningPoolRampsButSlowStartOffChangesNothing() {
        final ServerPool ramping = pool("weighted-round-robin", 10 * SECOND);
        ramping.addBackend(BackendConfig.of("http://127.0.0.1:9003"));
        assertEquals(1, ramping.snapshot().weight(2));
        assertEquals(100, ramping.snapshot().weight(0));

        final ServerPool off = pool("weighted-round-robin", 0);
        off.markAlive(B2, false);
        off.markAlive(B2, true);
        off.addBackend(BackendConfig.of("http://127.0.0.1:9003"));
        assertEquals(3, off.snapshot().weight(1));
        assertEquals(1, off.snapshot().weight(2));
        assertFalse(off.tickSlowStart());
    }
}
