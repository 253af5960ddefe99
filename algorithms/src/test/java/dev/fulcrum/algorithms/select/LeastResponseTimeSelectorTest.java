package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastResponseTimeSelectorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HALF_LIFE = 1000 * MS;

    private long now = 1_000_000 * MS;

    private LeastResponseTimeSelector selector() {
        return new LeastResponseTimeSelector(() -> now, HALF_LIFE, RandomSource.seeded(1));
    }

    @Test
    void prefersTheFasterBackend() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(3);
        for (int i = 0; i < 10; i++) {
            selector.onResponse(snapshot.state(0), 50 * MS, true);
            selector.onResponse(snapshot.state(1), 5 * MS, true);
            selector.onResponse(snapshot.state(2), 20 * MS, true);
        }
        assertEquals(1, selector.select(snapshot, RequestKey.NONE));
    }

    @Test
    void weighsLatencyByInFlightPlusOne() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(2);
        selector.onResponse(snapshot.state(0), 10 * MS, true);
        selector.onResponse(snapshot.state(1), 30 * MS, true);
        Backends.acquire(snapshot.state(0), 3);     // 10 x 4 = 40 > 30 x 1
        assertEquals(1, selector.select(snapshot, RequestKey.NONE));
    }

    @Test
    void triesABackendWithoutSamplesFirst() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(2);
        selector.onResponse(snapshot.state(0), MS / 10, true);
        assertEquals(1, selector.select(snapshot, RequestKey.NONE));
    }

    @Test
    void aSlowBackendGetsTrafficAgainOnceItsAverageDecays() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(2);
        selector.onResponse(snapshot.state(0), 2000 * MS, true);   // was slow once
        for (int second = 0; second < 20; second++) {
            selector.onResponse(snapshot.state(1), 20 * MS, true);
            if (selector.select(snapshot, RequestKey.NONE) == 0) {
                assertTrue(second >= 5, "retried after " + second + " s");
                return;
            }
            now += HALF_LIFE;
        }
        throw new AssertionError("the slow backend never got a request again");
    }

    @Test
    void aFastFailureDoesNotAttractTraffic() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(2);
        selector.onResponse(snapshot.state(0), 50 * MS, true);
        selector.onResponse(snapshot.state(1), MS / 10, false);  // connection refused in 0.1 ms
        assertEquals(0, selector.select(snapshot, RequestKey.NONE));
    }

    @Test
    void averageMovesTowardsNewSamples() {
        final LeastResponseTimeSelector selector = selector();
        final BackendSnapshot snapshot = Backends.equal(1);
        selector.onResponse(snapshot.state(0), 100 * MS, true);
        assertEquals(100 * MS, snapshot.state(0).latencyEwmaNanosOpaque());
        selector.onResponse(snapshot.state(0), 20 * MS, true);
        assertEquals(80 * MS, snapshot.state(0).latencyEwmaNanosOpaque());
        now += 2 * HALF_LIFE;
        assertEquals(20 * MS, selector.decayedEwma(snapshot.state(0), now));
    }
}
