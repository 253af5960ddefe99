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
 * A half-open circuit ({@code half_open_requests: 1}) has sent its probe; the probe fails while another request
 * asks to go. The window's one probe is spent, so the newcomer is rejected whichever comes first, the circuit ends
 * open, and after the next reset timeout a fresh window admits a probe again (no slot leaked into it).
 * r1 = the newcomer's verdict (0 reject), r2 = state afterwards (1 open), r3 = verdict one timeout later (2 probe).
 */
@JCStressTest
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "rejected; the circuit reopened; the next window probes")
@Outcome(expect = FORBIDDEN, desc = "a second probe in the spent window, or a wedged next window")
@State
public class FailedProbeRaceStress {
    private static final long RESET_NANOS = 1_000_000L;
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(true, 1, 1, 1));

    public FailedProbeRaceStress() {
        breaker.onFailure(false, 0L);
        breaker.tryAcquire(RESET_NANOS);   // the window's one probe
    }

    @Actor
    public void probeFails() {
        breaker.onFailure(true, RESET_NANOS + 1);
    }

    @Actor
    public void newcomer(III_Result r) {
        r.r1 = breaker.tryAcquire(RESET_NANOS + 1);
    }

    @Arbiter
    public void after(III_Result r) {
        r.r2 = breaker.state();
        r.r3 = breaker.tryAcquire(3 * RESET_NANOS);
    }
}
