package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.RateLimitConfig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Eviction racing an acquire. The table (16 slots, burst 1) is full of idle clients, each in its home slot; client
 * A asks again while new client B, whose probes all land on occupied slots, evicts the first idle one: A's. Whatever
 * the interleaving, every admitted request took a token from exactly one bucket and no bucket gave two (B may share
 * A's bucket for an instant, which only makes the limit stricter). In the same package as the limiter for its
 * test accessors. r1, r2 = A, B admitted; r3 = buckets that gave a token; r4 = buckets that gave more than one.
 */
@JCStressTest
@Outcome(id = {"1, 1, 2, 0", "1, 0, 1, 0", "0, 1, 1, 0"}, expect = ACCEPTABLE,
        desc = "each admission charged to its own bucket (or one rejected while A and B shared a bucket)")
@Outcome(expect = FORBIDDEN, desc = "an admission charged to no bucket, or a bucket charged twice")
@State
public class LimiterEvictionRaceStress {
    private static final RateLimitConfig CONFIG = new RateLimitConfig(true, 1.0, 1, false, 16);
    private static final long EMISSION_NANOS = 1_000_000_000L;
    /** All buckets were used at time 0 and are full (idle) again by now. */
    private static final long NOW = 2 * EMISSION_NANOS;
    private static final long[] FILL = new long[16];
    private static final long A;
    private static final long B;

    static {
        final ClientRateLimiter probe = new ClientRateLimiter(CONFIG, 0L);
        int found = 0;
        long b = 0;
        for (long key = 1; found < FILL.length || b == 0; key++) {
            final int home = probe.homeOf(key);
            if (FILL[home] == 0) {
                FILL[home] = key;
                found++;
            } else if (home == 0 && b == 0) {
                b = key;
            }
        }
        A = FILL[0];
        B = b;
    }

    private final ClientRateLimiter limiter = new ClientRateLimiter(CONFIG, 0L);

    public LimiterEvictionRaceStress() {
        for (long key : FILL) {
            limiter.acquire(key, 0L);   // each lands in its own home slot: the table is full
        }
    }

    @Actor
    public void clientA(IIII_Result r) {
        r.r1 = limiter.acquire(A, NOW) == 0 ? 1 : 0;
    }

    @Actor
    public void clientB(IIII_Result r) {
        r.r2 = limiter.acquire(B, NOW) == 0 ? 1 : 0;
    }

    @Arbiter
    public void after(IIII_Result r) {
        for (int slot = 0; slot < limiter.capacity(); slot++) {
            final long tat = limiter.arrivalIn(slot);
            if (tat == NOW + EMISSION_NANOS) {
                r.r3++;
            } else if (tat > NOW + EMISSION_NANOS) {
                r.r4++;
            }
        }
    }
}
