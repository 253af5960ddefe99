package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CircuitBreakerTest {
    private static final long MS = 1_000_000L;
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(true, 3, 100, 2));

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.onFailure(false, 0);
        breaker.onFailure(false, 0);
        breaker.onSuccess(false);
        breaker.onFailure(false, 0);
        breaker.onFailure(false, 0);
        assertEquals(CircuitBreaker.CLOSED, breaker.state(), "a success broke the run");
        breaker.onFailure(false, 5 * MS);
        assertEquals(CircuitBreaker.OPEN, breaker.state());
        assertEquals(CircuitBreaker.REJECT, breaker.tryAcquire(50 * MS));
        assertEquals(1, breaker.tripsOpaque());
    }

    @Test
    void halfOpenAdmitsALimitedNumberOfProbesAndTheFirstSuccessCloses() {
        trip(0);
        assertEquals(CircuitBreaker.ADMIT_PROBE, breaker.tryAcquire(100 * MS));
        assertEquals(CircuitBreaker.HALF_OPEN, breaker.state());
        assertEquals(CircuitBreaker.ADMIT_PROBE, breaker.tryAcquire(101 * MS));
        assertEquals(CircuitBreaker.REJECT, breaker.tryAcquire(102 * MS), "only two probes at once");
        breaker.onSuccess(true);
        assertEquals(CircuitBreaker.CLOSED, breaker.state());
        assertEquals(CircuitBreaker.ADMIT, breaker.tryAcquire(103 * MS));
    }

    @Test
    void aFailedProbeReopensForAFullResetTimeout() {
        trip(0);
        assertEquals(CircuitBreaker.ADMIT_PROBE, breaker.tryAcquire(100 * MS));
        breaker.onFailure(true, 110 * MS);
        assertEquals(CircuitBreaker.OPEN, breaker.state());
        assertEquals(CircuitBreaker.REJECT, breaker.tryAcquire(200 * MS));
        assertEquals(CircuitBreaker.ADMIT_PROBE, breaker.tryAcquire(210 * MS));
    }

    @Test
    void anAbandonedProbeFreesItsSlot() {
        trip(0);
        breaker.tryAcquire(100 * MS);
        breaker.tryAcquire(100 * MS);
        assertEquals(CircuitBreaker.REJECT, breaker.tryAcquire(100 * MS));
        breaker.abandon(true);
        assertEquals(CircuitBreaker.ADMIT_PROBE, breaker.tryAcquire(100 * MS));
    }

    private void trip(long now) {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure(false, now);
        }
        assertEquals(CircuitBreaker.OPEN, breaker.state());
    }
}
