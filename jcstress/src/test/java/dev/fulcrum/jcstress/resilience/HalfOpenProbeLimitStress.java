package dev.fulcrum.jcstress.resilience;

import dev.fulcrum.core.config.CircuitBreakerConfig;
import dev.fulcrum.core.resilience.CircuitBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two event loops reach an open circuit just after its reset timeout, with {@code half_open_requests: 1}: exactly
 * one of them sends the probe, the other is rejected, and the circuit is half-open. r1, r2 = verdicts (2 probe,
 * 0 reject), r3 = state afterwards (2 half-open).
 */
@JCStressTest
@Outcome(id = {"2, 0, 2", "0, 2, 2"}, expect = ACCEPTABLE, desc = "one probe, one rejection")
@Outcome(expect = FORBIDDEN, desc = "two probes, or none, or the wrong state")
@State
public class HalfOpenProbeLimitStress {
    static final long RESET_NANOS = 1_000_000L;
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(true, 1, 1, 1));

    public HalfOpenProbeLimitStress() {
        breaker.onFailure(false, 0L);
    }

    @Actor
    public void loop1(III_Result r) {
        r.r1 = breaker.tryAcquire(RESET_NANOS);
    }

    @Actor
    public void loop2(III_Result r) {
        r.r2 = breaker.tryAcquire(RESET_NANOS);
    }

    @Arbiter
    public void after(III_Result r) {
        r.r3 = breaker.state();
    }
}
