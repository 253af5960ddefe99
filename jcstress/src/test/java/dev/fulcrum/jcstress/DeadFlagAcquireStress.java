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
 * The health checker marks a backend dead while an event loop claims a slot: the dead flag and the in-flight count
 * share one word, so neither update may be lost (cap 2, one slot already taken). r1 = acquired, r2 = in-flight
 * afterwards, r3 = alive afterwards.
 */
@JCStressTest
@Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "slot claimed and backend dead: both updates kept")
@Outcome(expect = FORBIDDEN, desc = "the count or the dead flag was lost")
@State
public class DeadFlagAcquireStress {
    private static final int CAP = 2;
    private final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));

    public DeadFlagAcquireStress() {
        state.tryAcquire(CAP);
    }

    @Actor
    public void eventLoop(III_Result r) {
        r.r1 = state.tryAcquire(CAP) ? 1 : 0;
    }

    @Actor
    public void healthChecker() {
        state.setAliveRelease(false);
    }

    @Arbiter
    public void after(III_Result r) {
        r.r2 = state.inFlightOpaque();
        r.r3 = state.isAliveOpaque() ? 1 : 0;
    }
}
