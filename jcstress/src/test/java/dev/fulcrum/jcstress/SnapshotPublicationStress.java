package dev.fulcrum.jcstress;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.algorithms.snapshot.SnapshotHolder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The control thread builds and publishes a snapshot while an event loop reads the holder: the reader sees the
 * empty initial snapshot or the new one whole (size, weights, cap and version), never a partly built one.
 * r1 = size, r2 = sum of weights, r3 = the second backend's cap, r4 = version.
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "initial snapshot")
@Outcome(id = "2, 12, 9, 1", expect = ACCEPTABLE, desc = "published snapshot, whole")
@Outcome(expect = FORBIDDEN, desc = "torn publication")
@State
public class SnapshotPublicationStress {
    private static final BackendState A = new BackendState("a", BackendAddress.parse("http://a.test"));
    private static final BackendState B = new BackendState("b", BackendAddress.parse("http://b.test"));

    private final SnapshotHolder holder = new SnapshotHolder(BackendSnapshot.EMPTY);

    @Actor
    public void controlThread() {
        holder.publishRelease(BackendSnapshot.builder().add(A, 5, 3).add(B, 7, 9).build());
    }

    @Actor
    public void eventLoop(IIII_Result r) {
        final BackendSnapshot s = holder.currentAcquire();
        final int n = s.size();
        r.r1 = n;
        int weights = 0;
        for (int i = 0; i < n; i++) {
            weights += s.weight(i);
        }
        r.r2 = weights;
        r.r3 = n > 1 ? s.maxInFlight(1) : 0;
        r.r4 = (int) s.version();
    }
}
