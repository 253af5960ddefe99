package dev.fulcrum.jcstress;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two event loops race for the last of a backend's {@code max_connections} slots (cap 2, one already taken):
 * exactly one wins and the in-flight count ends at the cap. r1, r2 = who acquired, r3 = in-flight afterwards.
 * (Two actors: jcstress schedules no more actors than this 2-core machine has cores.)
 */
@JCStressTest
@Outcome(id = {"1, 0, 2", "0, 1, 2"}, expect = ACCEPTABLE, desc = "exactly one took the last slot")
@Outcome(expect = FORBIDDEN, desc = "cap exceeded, or a slot lost")
@State
public class TryAcquireCapStress {
    private static final int CAP = 2;
    private final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));

    public TryAcquireCapStress() {
        state.tryAcquire(CAP);
    }

    @Actor
    public void loop1(III_Result r) {
        r.r1 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Actor
    public void loop2(III_Result r) {
        r.r2 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Arbiter
    public void after(III_Result r) {
        r.r3 = state.inFlightOpaque();
    }
}
