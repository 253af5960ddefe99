package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.RateLimitConfig;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Token buckets per client, as GCRA (the generic cell rate algorithm): each client has one "theoretical arrival
 * time"; a request is admitted when advancing it by one emission interval stays within the burst window. Exactly a
 * token bucket of {@code burst} tokens refilled at {@code requests_per_second}, in one 64-bit word per client.
 *
 * <p>Thread-safe and lock-free: a decision is one CAS on the client's word. Memory is bounded: a fixed open-address
 * table of {@code max_clients} (rounded up to a power of two) keys and words, 16 bytes per client. A client looks
 * at {@value #PROBES} slots; a new client takes an empty slot, else evicts a client whose bucket is full (an idle
 * one: forgetting a full bucket loses nothing, since a new bucket starts full). When every probed slot holds an
 * active client, the newcomer shares the first one (still limited, if more strictly). Benign race: two new clients
 * may claim the same empty slot; one CAS wins, the other probes on.
 */
public final class ClientRateLimiter {
    static final int PROBES = 8;

    private final RateLimitConfig config;
    private final AtomicLongArray keys;
    private final AtomicLongArray arrivals;
    private final int mask;
    private final long emissionNanos;
    private final long burstNanos;

    public ClientRateLimiter(RateLimitConfig config) {
        this(config, System.nanoTime());
    }

    /** @param nowNanos the clock's current reading; every bucket starts full relative to it */
    public ClientRateLimiter(RateLimitConfig config, long nowNanos) {
        this.config = config;
        final int capacity = Math.max(16, Integer.highestOneBit(config.maxClients() - 1) << 1);
        this.keys = new AtomicLongArray(capacity);
        this.arrivals = new AtomicLongArray(capacity);
        this.mask = capacity - 1;
        this.emissionNanos = Math.max(1L, (long) (1_000_000_000d / config.requestsPerSecond()));
        this.burstNanos = emissionNanos * config.burst();
        final long full = nowNanos - burstNanos;
        for (int i = 0; i < capacity; i++) {
            arrivals.set(i, full);
        }
    }

    /** The settings this limiter was built with; a reload keeps its buckets only while they stay the same. */
    public RateLimitConfig config() {
        return config;
    }

    /** Slots in the table (a power of two). */
    public int capacity() {
        return mask + 1;
    }

    /**
     * Takes one token for {@code clientKey} (non-zero).
     *
     * @return 0 when admitted, else how many nanoseconds until a token is available
     */
    public long acquire(long clientKey, long nowNanos) {
        final int slot = slotOf(clientKey, nowNanos);
        while (true) {
            final long tat = arrivals.get(slot);
            final long next = (tat - nowNanos > 0 ? tat : nowNanos) + emissionNanos;
            final long excess = next - nowNanos - burstNanos;
            if (excess > 0) {
                return excess;
            }
            if (arrivals.compareAndSet(slot, tat, next)) {
                return 0;
            }
        }
    }

    private int slotOf(long key, long now) {
        final int home = (int) (mix(key) & mask);
        for (int attempt = 0; attempt < 2; attempt++) {
            int idle = -1;
            for (int i = 0; i < PROBES; i++) {
                final int slot = (home + i) & mask;
                final long occupant = keys.get(slot);
                if (occupant == key) {
                    return slot;
                }
                if (occupant == 0) {
                    if (keys.compareAndSet(slot, 0, key)) {
                        return slot;
                    }
                    if (keys.get(slot) == key) {
                        return slot;
                    }
                } else if (idle < 0 && arrivals.get(slot) - now <= 0) {
                    idle = slot;
                }
            }
            if (idle >= 0) {
                final long occupant = keys.get(idle);
                if (arrivals.get(idle) - now <= 0 && keys.compareAndSet(idle, occupant, key)) {
                    return idle;
                }
            }
        }
        return home;
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
