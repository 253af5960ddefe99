package dev.fulcrum.jcstress;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Three event loops race for the last two of a backend's {@code max_connections} slots: exactly two win, and the
 * in-flight count ends at two. (r1, r2, r3) = who acquired, r4 = in-flight afterwards.
 */
@JCStressTest
@Outcome(id = {"1, 1, 0, 2", "1, 0, 1, 2", "0, 1, 1, 2"}, expect = ACCEPTABLE, desc = "exactly two slots taken")
@Outcome(expect = FORBIDDEN, desc = "cap exceeded, or a slot lost")
@State
public class TryAcquireCapStress {
    private static final int CAP = 2;
    private final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));

    @Actor
    public void loop1(IIII_Result r) {
        r.r1 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Actor
    public void loop2(IIII_Result r) {
        r.r2 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Actor
    public void loop3(IIII_Result r) {
        r.r3 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r4 = state.inFlightOpaque();
    }
}
