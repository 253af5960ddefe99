package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightedRoundRobinSelectorTest {

    @Test
    void interleavesLikeNginxForWeightsFiveAndThree() {
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(5, 3);
        final int[] expected = {0, 1, 0, 0, 1, 0, 1, 0};
        for (int round = 0; round < 3; round++) {
            final int[] picked = new int[expected.length];
            for (int i = 0; i < picked.length; i++) {
                picked[i] = selector.select(snapshot, RequestKey.NONE);
            }
            assertArrayEquals(expected, picked);
        }
    }

    @Test
    void interleavesLikeNginxForWeightsFiveOneOne() {
        // nginx's own example (ngx_http_upstream_round_robin.c): a a b a c a a
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(5, 1, 1);
        final int[] expected = {0, 0, 1, 0, 2, 0, 0};
        final int[] picked = new int[expected.length];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = selector.select(snapshot, RequestKey.NONE);
        }
        assertArrayEquals(expected, picked);
    }

    @Test
    void everyWindowOfTotalWeightPicksHoldsExactProportions() {
        final int[] weights = {5, 3, 2, 7, 1};
        final int total = 18;
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(weights);
        final int[] picks = new int[total * 20];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = selector.select(snapshot, RequestKey.NONE);
        }
        for (int start = 0; start + total <= picks.length; start++) {
            final int[] counts = new int[weights.length];
            for (int i = start; i < start + total; i++) {
                counts[picks[i]]++;
            }
            assertArrayEquals(weights, counts, "window at " + start);
        }
    }

    @Test
    void neverPicksTheSameHeavyBackendTwiceWhenTheLightOnesCanInterleave() {
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(2, 2, 2);
        int previous = -1;
        for (int i = 0; i < 60; i++) {
            final int picked = selector.select(snapshot, RequestKey.NONE);
            assertTrue(picked != previous, "picked " + picked + " twice in a row");
            previous = picked;
        }
    }

    @Test
    void reducesWeightsByTheirGreatestCommonDivisor() {
        assertEquals(8, WeightedRoundRobinSelector.smoothSequence(Backends.weighted(500, 300)).length);
        assertArrayEquals(WeightedRoundRobinSelector.smoothSequence(Backends.weighted(5, 3)),
                WeightedRoundRobinSelector.smoothSequence(Backends.weighted(50, 30, 0)));
    }

    @Test
    void boundsTheTableForHugeWeights() {
        final int[] sequence = WeightedRoundRobinSelector.smoothSequence(Backends.weighted(1_000_003, 999_999, 7));
        assertTrue(sequence.length <= WeightedRoundRobinSelector.MAX_PERIOD);
        final int[] counts = new int[3];
        for (int b : sequence) {
            counts[b]++;
        }
        assertEquals(1.0, counts[0] / (double) counts[1], 0.001);
        assertTrue(counts[2] >= 1);
    }

    @Test
    void spreadsADeadBackendsTurnsByWeight() {
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(4, 2, 1, 1);
        snapshot.state(0).setAliveRelease(false);
        final int picks = 80_000;
        final int[] counts = new int[4];
        for (int i = 0; i < picks; i++) {
            counts[selector.select(snapshot, RequestKey.NONE)]++;
        }
        assertEquals(0, counts[0]);
        assertEquals(0.5, counts[1] / (double) picks, 0.01);
        assertEquals(0.25, counts[2] / (double) picks, 0.01);
        assertEquals(0.25, counts[3] / (double) picks, 0.01);
    }

    @Test
    void honoursWeightsWithinOnePercentUnderConcurrency() throws InterruptedException {
        final Selector selector = new WeightedRoundRobinSelector();
        final BackendSnapshot snapshot = Backends.weighted(1, 2, 3, 4);
        final int perThread = 50_000;
        final int[][] counts = new int[2][4];
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            final int[] mine = counts[t];
            threads[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    mine[selector.select(snapshot, RequestKey.NONE)]++;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int b = 0; b < 4; b++) {
            final double share = (counts[0][b] + counts[1][b]) / (2.0 * perThread);
            assertEquals((b + 1) / 10.0, share, 0.01, "backend " + b);
        }
    }
}
