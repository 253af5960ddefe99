package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adaptive feedback loop driven by a simulated pool on an injected clock: each request's latency (and failure)
 * depends only on the backend the active candidate picked, so the loop must discover which candidate avoids the bad
 * backend.
 */
class AdaptiveSelectorTest {
    private static final long MS = 1_000_000L;
    private static final long WINDOW = 1_000 * MS;
    private static final long STEP = 5 * MS;          // one response every 5 ms: 200 per window

    private final AtomicLong clock = new AtomicLong(1_000 * MS);

    private AdaptiveSelector adaptive(Selector... candidates) {
        return new AdaptiveSelector(List.of(candidates),
                new SelectorOptions.AdaptiveOptions(List.of("unused", "unused2"), WINDOW, 50, 3), clock::get);
    }

    /** Runs {@code requests} through the selector; backend 0 answers in 200 ms, the others in 2 ms. */
    private void drive(AdaptiveSelector selector, BackendSnapshot snapshot, int requests, boolean slowFails) {
        final TestKey key = new TestKey();
        for (int i = 0; i < requests; i++) {
            key.client(i);
            final int index = selector.select(snapshot, key);
            clock.addAndGet(STEP);
            final boolean slow = index == 0;
            selector.onResponse(snapshot.state(index), slow ? 200 * MS : 2 * MS, !(slow && slowFails));
        }
    }

    @Test
    void exploresEveryCandidateThenSettlesOnTheOneWithTheLowerP99() {
        final BackendSnapshot snapshot = Backends.equal(4);
        final AdaptiveSelector selector = adaptive(new RoundRobinSelector(),
                new LeastResponseTimeSelector(clock::get, 60_000 * MS, RandomSource.seeded(1)));
        assertEquals("round-robin", selector.activeAlgorithm());
        drive(selector, snapshot, 900, false);   // 4.5 windows: both explored, winner chosen and running

        final List<AdaptiveSelector.Decision> decisions = selector.decisions();
        assertEquals("exploring", decisions.get(0).reason());
        assertEquals("least-response-time", decisions.get(0).to());
        final AdaptiveSelector.Decision verdict = decisions.get(1);
        assertEquals("best of round", verdict.reason());
        assertEquals("least-response-time", verdict.to());
        final AdaptiveSelector.WindowScore rr = verdict.scores().get(0);
        final AdaptiveSelector.WindowScore lrt = verdict.scores().get(1);
        assertTrue(rr.p99Micros() >= 190_000, "round robin sends a quarter to the 200 ms backend: " + rr);
        assertTrue(lrt.p99Micros() < 10_000, "least-response-time avoids it: " + lrt);
        assertEquals("least-response-time", selector.activeAlgorithm());
    }

    @Test
    void errorRateOutweighsLatency() {
        final BackendSnapshot snapshot = Backends.equal(4);
        // Candidate 0 is round robin (25 % of requests fail fast on b0); candidate 1 always picks b1 (slower p99
        // but no errors) through a fixed selector.
        final Selector alwaysB1 = new Selector() {
            @Override
            public int select(BackendSnapshot s, RequestKey key) {
                return 1;
            }

            @Override
            public String name() {
                return "always-b1";
            }
        };
        final AdaptiveSelector selector = adaptive(new RoundRobinSelector(), alwaysB1);
        final TestKey key = new TestKey();
        for (int i = 0; i < 1_000; i++) {
            final int index = selector.select(snapshot, key);
            clock.addAndGet(STEP);
            selector.onResponse(snapshot.state(index), index == 0 ? MS / 10 : 20 * MS, index != 0);
        }
        final AdaptiveSelector.Decision verdict = selector.decisions().get(1);
        assertEquals("always-b1", verdict.to(), "fast failures must not win: " + verdict.scores());
        assertTrue(verdict.scores().get(0).errorRate() > 0.2);
    }

    @Test
    void reExploresAfterTheExploitWindowsAndExtendsThinWindows() {
        final BackendSnapshot snapshot = Backends.equal(4);
        final AdaptiveSelector selector = adaptive(new RoundRobinSelector(),
                new LeastResponseTimeSelector(clock::get, 60_000 * MS, RandomSource.seeded(2)));
        // 10 responses a window (one per 100 ms) are below min_samples 50: no decision for many windows.
        final TestKey key = new TestKey();
        for (int i = 0; i < 40; i++) {
            final int index = selector.select(snapshot, key);
            clock.addAndGet(100 * MS);
            selector.onResponse(snapshot.state(index), 2 * MS, true);
        }
        assertTrue(selector.decisions().isEmpty(), "thin windows are extended, not scored");

        drive(selector, snapshot, 2_000, false);   // 10 windows: explore (2), exploit (3), explore again
        final List<AdaptiveSelector.Decision> decisions = selector.decisions();
        assertTrue(decisions.stream().anyMatch(d -> d.reason().startsWith("re-exploring")), decisions.toString());
        assertTrue(decisions.stream().filter(d -> d.reason().equals("best of round")).count() >= 2);
    }

    @Test
    void rejectsNestedAdaptiveOrSticky() {
        assertThrows(IllegalArgumentException.class, () -> adaptive(new RoundRobinSelector()));
        assertThrows(IllegalArgumentException.class, () -> adaptive(new RoundRobinSelector(),
                new StickySessionSelector("c", new RoundRobinSelector())));
        final Selector created = SelectorFactory.create("adaptive");
        assertEquals("adaptive", created.name());
        assertEquals(SelectorOptions.AdaptiveOptions.DEFAULT_CANDIDATES,
                ((AdaptiveSelector) created).candidateNames());
        assertFalse(SelectorFactory.isPlainAlgorithm("adaptive"));
    }
}
