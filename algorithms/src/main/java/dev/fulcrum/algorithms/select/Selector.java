package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;

/**
 * Picks the backend for one request from a snapshot.
 *
 * <p>Implementations are thread-safe, lock-free and allocation-free on {@link #select}. "Nothing eligible" is the
 * return value {@link #NO_BACKEND}, never an exception.
 */
public interface Selector {
    /** Returned by {@link #select} when no backend is eligible. */
    int NO_BACKEND = -1;

    /**
     * @param snapshot the location's current snapshot, read once by the caller
     * @param key      what the request offers for hashing and stickiness
     * @return the index of an eligible backend in {@code snapshot}, or {@link #NO_BACKEND}
     */
    int select(BackendSnapshot snapshot, RequestKey key);

    /**
     * Control thread: builds whatever this algorithm precomputes from the snapshot's layout (ring, Maglev table, alias
     * table, WRR sequence) so that no request pays for it. Call it for every snapshot before or right after
     * publishing it; a selector that was not prepared builds the table on its first {@link #select} instead.
     */
    default void prepare(BackendSnapshot snapshot) {
    }

    /**
     * Feedback after an upstream exchange finished; algorithms that learn from latency override it.
     *
     * @param state        the backend that served
     * @param latencyNanos time from upstream write to the end of the response
     * @param success      false for connect errors, resets, timeouts and 5xx
     *                     <p>Responses Fulcrum generated itself (503 with nothing eligible, 429, redirects) are not
     *                     samples: the caller reports only exchanges that reached the backend.
     */
    default void onResponse(BackendState state, long latencyNanos, boolean success) {
    }

    /** The canonical algorithm name, as the config and metrics spell it. */
    String name();
}
