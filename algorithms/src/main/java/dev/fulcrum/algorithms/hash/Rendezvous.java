package dev.fulcrum.algorithms.hash;

/**
 * Rendezvous (highest random weight) hashing, Thaler and Ravishankar 1998: a key goes to the backend whose
 * hash(key, backend) is highest. Removing a backend moves only its keys, and no table is needed, but a lookup is
 * O(n). Kept as a baseline for the lookup benchmarks against Maglev, the ring and jump hashing.
 *
 * <p>Immutable and thread-safe.
 */
public final class Rendezvous {
    private final long[] backendSeeds;

    /** @param backendSeeds one well-mixed 64-bit hash per backend (of its id), in snapshot order */
    public Rendezvous(long[] backendSeeds) {
        this.backendSeeds = backendSeeds.clone();
    }

    /** The index of the backend that wins {@code keyHash}, or -1 when there are none. Allocation-free. */
    public int lookup(long keyHash) {
        int best = -1;
        long bestScore = 0;
        for (int i = 0; i < backendSeeds.length; i++) {
            final long score = Hashing.mix64(keyHash ^ backendSeeds[i]);
            if (best < 0 || Long.compareUnsigned(score, bestScore) > 0) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    public int size() {
        return backendSeeds.length;
    }
}
