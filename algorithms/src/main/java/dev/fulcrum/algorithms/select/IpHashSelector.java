package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;

/**
 * The same client address goes to the same backend: jump consistent hash of {@link RequestKey#clientAddressHash()}
 * over the listed backends.
 *
 * <p>Thread-safe and stateless, O(log n), no table. Unlike terraster's {@code hash % len(alive)}, the mapping is over
 * the listed backends, so a backend going down moves only its own clients: their address is re-hashed up to
 * {@link #PROBES} times (each client always lands on the same substitute), then spread over the eligible backends
 * by the hash (O(n)). Appending a backend moves 1/n of clients; removing one from the middle of the list may move
 * more (use {@code consistent-hash} or {@code maglev} when membership changes often).
 */
public final class IpHashSelector implements Selector {
    public static final String NAME = "ip-hash";

    /** Re-hashes tried while a client's backend is unavailable: misses 1 in 4^8 with a quarter of backends down. */
    static final int PROBES = 8;

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final long hash = Hashing.mix64(key.clientAddressHash());
        final int candidate = Hashing.jump(hash, n);
        if (snapshot.isEligible(candidate)) {
            return candidate;
        }
        return probe(snapshot, hash);
    }

    private static int probe(BackendSnapshot snapshot, long hash) {
        final int n = snapshot.size();
        for (int k = 1; k <= PROBES; k++) {
            final int candidate = Hashing.jump(Hashing.mix64(hash + k * Hashing.GOLDEN_GAMMA), n);
            if (snapshot.isEligible(candidate)) {
                return candidate;
            }
        }
        return Eligibility.uniform(snapshot, hash);
    }

    @Override
    public String name() {
        return NAME;
    }
}
