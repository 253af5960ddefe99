package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;

/** Test fixtures: backends named b0, b1, ... with long-lived states. */
final class Backends {
    static final int DEFAULT_MAX_IN_FLIGHT = 1000;

    private Backends() {
    }

    static BackendState state(String id) {
        return new BackendState(id, BackendAddress.parse("http://" + id + ".test:8080"));
    }

    static BackendState[] states(int n) {
        final BackendState[] states = new BackendState[n];
        for (int i = 0; i < n; i++) {
            states[i] = state("b" + i);
        }
        return states;
    }

    /** One backend per weight, ids b0, b1, ... */
    static BackendSnapshot weighted(int... weights) {
        return snapshot(states(weights.length), weights);
    }

    /** n backends of weight 1. */
    static BackendSnapshot equal(int n) {
        final int[] weights = new int[n];
        java.util.Arrays.fill(weights, 1);
        return weighted(weights);
    }

    static BackendSnapshot snapshot(BackendState[] states, int... weights) {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < states.length; i++) {
            builder.add(states[i], weights[i], DEFAULT_MAX_IN_FLIGHT);
        }
        return builder.version(1).build();
    }

    /** The same states without the one at {@code removed}, equal weights. */
    static BackendSnapshot without(BackendSnapshot snapshot, int removed) {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < snapshot.size(); i++) {
            if (i != removed) {
                builder.add(snapshot.state(i), snapshot.weight(i), snapshot.maxInFlight(i));
            }
        }
        return builder.version(snapshot.version() + 1).build();
    }

    /** Fills a backend up to {@code count} in-flight requests. */
    static void acquire(BackendState state, int count) {
        for (int i = 0; i < count; i++) {
            if (!state.tryAcquire(Integer.MAX_VALUE)) {
                throw new AssertionError("could not acquire");
            }
        }
    }
}
