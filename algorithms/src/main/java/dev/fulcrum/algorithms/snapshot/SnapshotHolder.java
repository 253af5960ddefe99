package dev.fulcrum.algorithms.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Publishes a location's current {@link BackendSnapshot}.
 *
 * <p>Single writer (the control thread) calls {@link #publishRelease}; any number of readers call
 * {@link #currentAcquire()} and are wait-free. Readers read once into a local and work on the local.
 */
public final class SnapshotHolder {
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(SnapshotHolder.class, "current", BackendSnapshot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through CURRENT
    private BackendSnapshot current;

    public SnapshotHolder(BackendSnapshot initial) {
        CURRENT.setRelease(this, Objects.requireNonNull(initial, "initial"));
    }

    public BackendSnapshot currentAcquire() {
        return (BackendSnapshot) CURRENT.getAcquire(this);
    }

    /** One writer only: stamps the next version on the snapshot and publishes it. */
    public BackendSnapshot publishRelease(BackendSnapshot next) {
        final BackendSnapshot stamped = next.withVersion(currentAcquire().version() + 1);
        CURRENT.setRelease(this, stamped);
        return stamped;
    }
}
