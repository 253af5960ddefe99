package dev.fulcrum.jcstress;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A dead backend with one request in flight comes back while that request completes: the release and the revival
 * update the same word, and both must stick. r1 = in-flight afterwards, r2 = alive afterwards.
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "slot released and backend alive")
@Outcome(expect = FORBIDDEN, desc = "the release or the revival was lost")
@State
public class ReviveReleaseStress {
    private final BackendState state = new BackendState("b0", BackendAddress.parse("http://b0.test"));

    public ReviveReleaseStress() {
        state.tryAcquire(1);
        state.setAliveRelease(false);
    }

    @Actor
    public void eventLoop() {
        state.release();
    }

    @Actor
    public void healthChecker() {
        state.setAliveRelease(true);
    }

    @Arbiter
    public void after(II_Result r) {
        r.r1 = state.inFlightOpaque();
        r.r2 = state.isAliveOpaque() ? 1 : 0;
    }
}
