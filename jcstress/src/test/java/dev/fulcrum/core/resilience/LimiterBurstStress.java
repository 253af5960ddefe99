package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.RateLimitConfig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two event loops take tokens for the same new client at the same instant from a full bucket of burst 3, twice each:
 * exactly three of the four attempts are admitted (GCRA's compare-and-set never hands out a token twice nor loses
 * one), and a fifth attempt afterwards is rejected. r1, r2 = admitted per actor, r3 = the fifth attempt admitted.
 */
@JCStressTest
@Outcome(id = {"2, 1, 0", "1, 2, 0"}, expect = ACCEPTABLE, desc = "exactly the burst admitted, nothing more")
@Outcome(expect = FORBIDDEN, desc = "more than the burst admitted, or a token lost")
@State
public class LimiterBurstStress {
    private static final long CLIENT = 42L;
    private static final long NOW = 5_000_000_000L;
    private final ClientRateLimiter limiter =
            new ClientRateLimiter(new RateLimitConfig(true, 1.0, 3, false, 16), 0L);

    @Actor
    public void loop1(III_Result r) {
        r.r1 = (limiter.acquire(CLIENT, NOW) == 0 ? 1 : 0) + (limiter.acquire(CLIENT, NOW) == 0 ? 1 : 0);
    }

    @Actor
    public void loop2(III_Result r) {
        r.r2 = (limiter.acquire(CLIENT, NOW) == 0 ? 1 : 0) + (limiter.acquire(CLIENT, NOW) == 0 ? 1 : 0);
    }

    @Arbiter
    public void after(III_Result r) {
        r.r3 = limiter.acquire(CLIENT, NOW) == 0 ? 1 : 0;
    }
}
