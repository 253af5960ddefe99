package dev.fulcrum.jcstress.resilience;

import dev.fulcrum.core.config.CircuitBreakerConfig;
import dev.fulcrum.core.resilience.CircuitBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two failures reported at once push a closed circuit over its threshold (threshold 2, one failure already
 * counted): both see the threshold reached, the circuit opens exactly once. r1 = trips, r2 = state (1 open).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "opened once")
@Outcome(expect = FORBIDDEN, desc = "opened twice, or not at all")
@State
public class TripOnceStress {
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(true, 2, 1_000, 1));

    public TripOnceStress() {
        breaker.onFailure(false, 0L);
    }

    @Actor
    public void loop1() {
        breaker.onFailure(false, 10L);
    }

    @Actor
    public void loop2() {
        breaker.onFailure(false, 20L);
    }

    @Arbiter
    public void after(JJ_Result r) {
        r.r1 = breaker.tripsOpaque();
        r.r2 = breaker.state();
    }
}
