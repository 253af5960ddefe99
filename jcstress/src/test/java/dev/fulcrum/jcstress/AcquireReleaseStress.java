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
 * A backend at its cap of 1: one loop finishes its request (release) while another tries to place one. The
 * newcomer either sees the slot still taken or gets it; the count is never lost or doubled.
 * r1 = newcomer acquired, r2 = in-flight afterwards, r3 = requests counted.
 */
@JCStressTest
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "newcomer saw the slot taken, then it was released")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "newcomer took the released slot")
@Outcome(expect = FORBIDDEN, desc = "cap exceeded or count torn")
@State
public class AcquireReleaseStress {
    private final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));

    public AcquireReleaseStress() {
        state.tryAcquire(1);
    }

    @Actor
    public void finishing() {
        state.release();
    }

    @Actor
    public void placing(III_Result r) {
        r.r1 = state.tryAcquire(1) ? 1 : 0;
    }

    @Arbiter
    public void after(III_Result r) {
        r.r2 = state.inFlightOpaque();
        r.r3 = (int) state.requestsOpaque();
    }
}
