package dev.fulcrum.core.health;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.OutlierConfig;
import dev.fulcrum.core.pool.ServerPool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The health verdict of every backend of one pool, from active checks and outlier detection, published to the
 * backends' alive flags (which every selector honours).
 *
 * <p>Single writer: the health control thread calls every method; event loops only count upstream outcomes in
 * {@link BackendState} ({@code recordFailure}, {@code recordServerError}, {@code recordSuccess}). A backend is
 * alive when its active check passes (or it has none) and it is not ejected. Outlier detection follows Envoy: a run
 * of {@code consecutive_failures} upstream errors or 5xx ejects a backend for {@code base x n} (n = ejections in a
 * row, capped at {@code max_ejection_time}), never more than {@code max_ejection_percent} of the pool at once; a
 * backend that stays clean for a base time works its multiplier back down. Panic: when fewer than
 * {@code panic_threshold} % of the pool is healthy, health is ignored and every backend that ever passed its
 * first check takes traffic again, because overloading the few survivors would fail everything.
 */
public final class PoolHealth {
    /** What the pool reports, for logs and counters. Called on the control thread. */
    public interface Events {
        void ejected(BackendState backend, int consecutiveFailures, long forMillis, int ejectionsInARow);

        void returned(BackendState backend);

        void panic(boolean entered, int healthy, int total);
    }

    /** Where verdicts are published (so that slow start ramps a backend that comes back), or null. */
    private final ServerPool pool;
    private final BackendState[] states;
    private final OutlierConfig outlier;
    private final Events events;
    private final boolean[] activeHealthy;
    private final boolean[] admitted;
    private final boolean[] ejected;
    private final long[] ejectedUntilNanos;
    private final int[] ejectionsInARow;
    private final long[] cleanSinceNanos;
    private final long baseEjectionNanos;
    private int ejectedCount;
    private boolean panic;

    public PoolHealth(List<BackendState> states, OutlierConfig outlier, Events events) {
        this(null, states, outlier, events);
    }

    /**
     * @param pool the pool the states belong to: verdicts go through {@link ServerPool#markAlive(BackendState,
     *             boolean)}, so a backend that comes back ramps when the pool has slow start; null publishes to the
     *             states' flags only
     */
    public PoolHealth(ServerPool pool, List<BackendState> states, OutlierConfig outlier, Events events) {
        this.pool = pool;
        this.states = states.toArray(new BackendState[0]);
        this.outlier = outlier;
        this.events = events;
        final int n = this.states.length;
        activeHealthy = new boolean[n];
        admitted = new boolean[n];
        ejected = new boolean[n];
        ejectedUntilNanos = new long[n];
        ejectionsInARow = new int[n];
        cleanSinceNanos = new long[n];
        baseEjectionNanos = TimeUnit.MILLISECONDS.toNanos(outlier.baseEjectionMillis());
        for (int i = 0; i < n; i++) {
            activeHealthy[i] = true;
            admitted[i] = true;
        }
    }

    /**
     * Reload: takes over the outlier state (ejected until when, ejections in a row) of every backend that
     * {@code previousByState} maps to the pool health that managed it before, so that a reload neither frees an
     * ejected backend early nor forgets its multiplier. When this pool has outlier detection off, a backend
     * ejected before returns now (and is reported as returned). Call before the first {@link #tick}.
     */
    public void carryOver(Map<BackendState, PoolHealth> previousByState) {
        for (int i = 0; i < states.length; i++) {
            final PoolHealth previous = previousByState.get(states[i]);
            final int j = previous == null ? -1 : previous.indexOf(states[i]);
            if (j < 0) {
                continue;
            }
            if (!outlier.enabled()) {
                if (previous.ejected[j]) {
                    events.returned(states[i]);
                }
                continue;
            }
            ejected[i] = previous.ejected[j];
            ejectedUntilNanos[i] = previous.ejectedUntilNanos[j];
            ejectionsInARow[i] = previous.ejectionsInARow[j];
            cleanSinceNanos[i] = previous.cleanSinceNanos[j];
            if (ejected[i]) {
                ejectedCount++;
            }
        }
    }

    private int indexOf(BackendState state) {
        for (int i = 0; i < states.length; i++) {
            if (states[i] == state) {
                return i;
            }
        }
        return -1;
    }

    public int size() {
        return states.length;
    }

    public BackendState state(int index) {
        return states[index];
    }

    /**
     * Sets a backend's active-check verdict. A backend that has never passed is not {@code admitted}: panic
     * routing does not send it traffic either (checked before traffic means checked first, even in a panic).
     */
    public void setActiveHealthy(int index, boolean healthy, boolean everPassed) {
        activeHealthy[index] = healthy;
        admitted[index] = everPassed;
    }

    public boolean isEjected(int index) {
        return ejected[index];
    }

    public boolean inPanic() {
        return panic;
    }

    /** Runs outlier detection at {@code nowNanos} and publishes every backend's alive flag. */
    public void tick(long nowNanos) {
        if (outlier.enabled()) {
            detectOutliers(nowNanos);
        }
        publish();
    }

    private void detectOutliers(long now) {
        final int maxEjected = outlier.maxEjected(states.length);
        for (int i = 0; i < states.length; i++) {
            final BackendState state = states[i];
            if (ejected[i]) {
                if (now - ejectedUntilNanos[i] >= 0) {
                    ejected[i] = false;
                    ejectedCount--;
                    cleanSinceNanos[i] = now;
                    state.resetConsecutiveFailures();
                    events.returned(state);
                }
                continue;
            }
            final int failures = state.consecutiveFailuresOpaque();
            if (failures >= outlier.consecutiveFailures()) {
                if (ejectedCount < maxEjected) {
                    final int inARow = ++ejectionsInARow[i];
                    final long millis = outlier.ejectionMillis(inARow);
                    ejected[i] = true;
                    ejectedUntilNanos[i] = now + TimeUnit.MILLISECONDS.toNanos(millis);
                    ejectedCount++;
                    events.ejected(state, failures, millis, inARow);
                }
            } else if (ejectionsInARow[i] > 0 && failures == 0 && now - cleanSinceNanos[i] >= baseEjectionNanos) {
                ejectionsInARow[i]--;
                cleanSinceNanos[i] = now;
            }
        }
    }

    private void publish() {
        final int n = states.length;
        int healthy = 0;
        for (int i = 0; i < n; i++) {
            if (activeHealthy[i] && !ejected[i]) {
                healthy++;
            }
        }
        final boolean panicNow = n > 0 && (long) healthy * 100 < (long) outlier.panicThresholdPercent() * n
                && anyAdmitted();
        if (panicNow != panic) {
            panic = panicNow;
            events.panic(panicNow, healthy, n);
        }
        for (int i = 0; i < n; i++) {
            final boolean alive = panicNow ? admitted[i] : activeHealthy[i] && !ejected[i];
            if (states[i].isAliveOpaque() != alive) {
                if (pool != null) {
                    pool.markAlive(states[i], alive);
                } else {
                    states[i].setAliveRelease(alive);
                }
            }
        }
    }

    private boolean anyAdmitted() {
        for (boolean a : admitted) {
            if (a) {
                return true;
            }
        }
        return false;
    }
}
