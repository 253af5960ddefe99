package dev.fulcrum.algorithms.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multi-threaded stress for the lock-free parts, run in every build. The jcstress module checks the same
 * properties under every interleaving the JVM allows; these tests are the quick guard in the unit suite.
 */
@Timeout(60)
class ConcurrentStateStressTest {
    private static final int THREADS = 4;

    @Test
    void tryAcquireNeverLetsMoreThanTheCapInFlight() throws Exception {
        final int cap = 3;
        final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));
        final AtomicInteger holders = new AtomicInteger();
        final AtomicInteger maxSeen = new AtomicInteger();
        final AtomicInteger acquired = new AtomicInteger();
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        if (state.tryAcquire(cap)) {
                            acquired.incrementAndGet();
                            final int now = holders.incrementAndGet();
                            maxSeen.accumulateAndGet(now, Math::max);
                            holders.decrementAndGet();
                            state.release();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failure.get());
        assertTrue(maxSeen.get() <= cap, "in flight reached " + maxSeen.get());
        assertEquals(0, state.inFlightOpaque());
        assertEquals(acquired.get(), state.requestsOpaque());
    }

    @Test
    void readersSeeEveryPublishedSnapshotWhole() throws Exception {
        final BackendState[] states = new BackendState[64];
        for (int i = 0; i < states.length; i++) {
            states[i] = new BackendState("b" + i, BackendAddress.parse("http://b" + i + ".test"));
        }
        final SnapshotHolder holder = new SnapshotHolder(BackendSnapshot.EMPTY);
        final AtomicReference<String> torn = new AtomicReference<>();
        final int publications = 20_000;
        final Thread[] readers = new Thread[THREADS - 1];
        final AtomicInteger done = new AtomicInteger();
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                while (done.get() == 0) {
                    final BackendSnapshot s = holder.currentAcquire();
                    // Snapshot k lists k % 64 + 1 backends, each of weight k: any mix of two publications shows.
                    final int n = s.size();
                    for (int i = 0; i < n; i++) {
                        if (s.weight(i) != s.weight(0) || s.state(i) == null || n != s.weight(0) % 64 + 1) {
                            torn.set("torn snapshot v" + s.version() + " size " + n);
                        }
                    }
                }
            });
            readers[r].start();
        }
        for (int k = 1; k <= publications; k++) {
            final BackendSnapshot.Builder b = BackendSnapshot.builder();
            for (int i = 0; i < k % 64 + 1; i++) {
                b.add(states[i], k, 10);
            }
            holder.publishRelease(b.build());
        }
        done.set(1);
        for (Thread reader : readers) {
            reader.join();
        }
        assertNull(torn.get());
        assertEquals(publications, holder.currentAcquire().version());
    }
}
