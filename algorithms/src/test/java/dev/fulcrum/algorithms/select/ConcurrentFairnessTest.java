package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rotation stays exact when several event loops pick at once: the shared counter hands out every turn once. */
@Timeout(60)
class ConcurrentFairnessTest {
    private static final int THREADS = 4;
    private static final int PICKS_PER_THREAD = 210_000;

    private static AtomicIntegerArray pickConcurrently(Selector selector, BackendSnapshot snapshot) throws Exception {
        final AtomicIntegerArray counts = new AtomicIntegerArray(snapshot.size());
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final Thread[] threads = new Thread[THREADS];
        final Throwable[] failure = new Throwable[1];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                try {
                    final int[] local = new int[snapshot.size()];
                    start.await();
                    for (int i = 0; i < PICKS_PER_THREAD; i++) {
                        local[selector.select(snapshot, RequestKey.NONE)]++;
                    }
                    for (int b = 0; b < local.length; b++) {
                        counts.addAndGet(b, local[b]);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        return counts;
    }

    @Test
    void roundRobinGivesEveryBackendExactlyItsShareAcrossThreads() throws Exception {
        final BackendSnapshot snapshot = Backends.equal(7);
        final AtomicIntegerArray counts = pickConcurrently(new RoundRobinSelector(), snapshot);
        for (int b = 0; b < 7; b++) {
            assertEquals(THREADS * PICKS_PER_THREAD / 7, counts.get(b), "backend " + b);
        }
    }

    @Test
    void smoothWeightedRoundRobinKeepsExactProportionsAcrossThreads() throws Exception {
        final BackendSnapshot snapshot = Backends.weighted(1, 2, 4);   // period 7 divides the total
        final AtomicIntegerArray counts = pickConcurrently(new WeightedRoundRobinSelector(), snapshot);
        final int periods = THREADS * PICKS_PER_THREAD / 7;
        assertEquals(periods, counts.get(0));
        assertEquals(2 * periods, counts.get(1));
        assertEquals(4 * periods, counts.get(2));
    }
}
