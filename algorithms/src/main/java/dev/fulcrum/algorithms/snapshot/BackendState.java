package dev.fulcrum.algorithms.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The long-lived, mutable state of one backend: health, in-flight requests and counters.
 *
 * <p>Thread-safe. One instance lives as long as the backend is configured and is shared by every
 * {@link BackendSnapshot} that lists it, so counters survive snapshot swaps. Event loops update the in-flight count
 * and counters with atomic operations; the health checker is the single writer of the alive flag. The in-flight
 * count and the alive flag share one {@code int} kept outside this object ({@link InFlightCells}), so that snapshots
 * can scan their backends' counts from one contiguous array.
 */
public final class BackendState {
    private static final VarHandle CELL = InFlightCells.CELL;
    private static final VarHandle REQUESTS;
    private static final VarHandle FAILURES;
    private static final VarHandle LATENCY_EWMA_NANOS;
    private static final VarHandle LATENCY_SAMPLED_AT_NANOS;
    private static final VarHandle CONSECUTIVE_FAILURES;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            REQUESTS = lookup.findVarHandle(BackendState.class, "requests", long.class);
            FAILURES = lookup.findVarHandle(BackendState.class, "failures", long.class);
            LATENCY_EWMA_NANOS = lookup.findVarHandle(BackendState.class, "latencyEwmaNanos", long.class);
            LATENCY_SAMPLED_AT_NANOS = lookup.findVarHandle(BackendState.class, "latencySampledAtNanos", long.class);
            CONSECUTIVE_FAILURES = lookup.findVarHandle(BackendState.class, "consecutiveFailures", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String id;
    private final BackendAddress address;
    /**
     * The page and index of this backend's in-flight word (count and dead flag, see {@link InFlightCells}): outside
     * the object so that a snapshot's scan reads its backends' words from one contiguous array.
     */
    private final int[] cells;
    private final int cell;

    @SuppressWarnings("unused") // accessed through REQUESTS
    private long requests;
    @SuppressWarnings("unused") // accessed through FAILURES
    private long failures;
    @SuppressWarnings("unused") // accessed through LATENCY_EWMA_NANOS
    private long latencyEwmaNanos;
    @SuppressWarnings("unused") // accessed through LATENCY_SAMPLED_AT_NANOS
    private long latencySampledAtNanos;
    @SuppressWarnings("unused") // accessed through CONSECUTIVE_FAILURES
    private int consecutiveFailures;

    /**
     * @param id      opaque stable identifier (used in cookies and metrics instead of the URL)
     * @param address where the backend listens
     */
    public BackendState(String id, BackendAddress address) {
        this.id = Objects.requireNonNull(id, "id");
        this.address = Objects.requireNonNull(address, "address");
        final InFlightCells.Claim claim = InFlightCells.claim();
        this.cells = claim.page();
        this.cell = claim.index();
    }

    public String id() {
        return id;
    }

    public BackendAddress address() {
        return address;
    }

    /** Health as last published by the health checker; a plain-enough read for selection. */
    public boolean isAliveOpaque() {
        return (wordOpaque() & InFlightCells.DEAD) == 0;
    }

    /**
     * Single writer: the health checker (or a test). An atomic bit operation, because the flag shares its word with
     * the in-flight count that event loops update at the same time.
     */
    public void setAliveRelease(boolean value) {
        if (value) {
            CELL.getAndBitwiseAndRelease(cells, cell, ~InFlightCells.DEAD);
        } else {
            CELL.getAndBitwiseOrRelease(cells, cell, InFlightCells.DEAD);
        }
    }

    /** Requests currently between selection and completion. Opaque: may be slightly stale, never torn. */
    public int inFlightOpaque() {
        return wordOpaque() & InFlightCells.COUNT_MASK;
    }

    /** The in-flight count plus {@link InFlightCells#DEAD} when dead: what snapshot scans compare with a cap. */
    int wordOpaque() {
        return (int) CELL.getOpaque(cells, cell);
    }

    /** The page holding this backend's word; with {@link #cellIndex()}, where a snapshot reads it. */
    int[] cellPage() {
        return cells;
    }

    int cellIndex() {
        return cell;
    }

    /**
     * Claims one in-flight slot unless {@code maxInFlight} are already taken (the seed's IncrementConnections). Health
     * is not checked here (selection does that); the dead flag rides along unchanged. Caps above about 10^9 are
     * treated as 10^9 ({@link InFlightCells#COUNT_MASK}).
     *
     * @return true if the slot was claimed; the caller must then call {@link #release()} exactly once
     */
    public boolean tryAcquire(int maxInFlight) {
        final int cap = Math.min(maxInFlight, InFlightCells.COUNT_MASK);
        int current = (int) CELL.getVolatile(cells, cell);
        while ((current & InFlightCells.COUNT_MASK) < cap) {
            final int witness = (int) CELL.compareAndExchange(cells, cell, current, current + 1);
            if (witness == current) {
                REQUESTS.getAndAdd(this, 1L);
                return true;
            }
            current = witness;
        }
        return false;
    }

    /** Gives back a slot claimed by {@link #tryAcquire(int)}. */
    public void release() {
        CELL.getAndAdd(cells, cell, -1);   // the count is at least 1 here, so the dead bit is never borrowed from
    }

    /** Counts an upstream failure (connect error, reset, timeout) charged to this backend. */
    public void recordFailure() {
        FAILURES.getAndAdd(this, 1L);
        CONSECUTIVE_FAILURES.getAndAdd(this, 1);
    }

    /** Counts a 5xx response from this backend towards its run of consecutive failures (outlier detection). */
    public void recordServerError() {
        CONSECUTIVE_FAILURES.getAndAdd(this, 1);
    }

    /** Ends the run of consecutive failures. Writes only when there is a run, so healthy traffic shares no line. */
    public void recordSuccess() {
        if ((int) CONSECUTIVE_FAILURES.getOpaque(this) != 0) {
            CONSECUTIVE_FAILURES.setOpaque(this, 0);
        }
    }

    /** Upstream failures and 5xx responses since the last success; read by outlier detection. */
    public int consecutiveFailuresOpaque() {
        return (int) CONSECUTIVE_FAILURES.getOpaque(this);
    }

    /** Starts a new run (when an ejected backend returns). A concurrent failure may be lost; it is one count. */
    public void resetConsecutiveFailures() {
        CONSECUTIVE_FAILURES.setOpaque(this, 0);
    }

    /** Total slots ever acquired: requests sent or attempted towards this backend. */
    public long requestsOpaque() {
        return (long) REQUESTS.getOpaque(this);
    }

    public long failuresOpaque() {
        return (long) FAILURES.getOpaque(this);
    }

    /**
     * The latency average kept by latency-aware selectors, in nanoseconds; 0 before the first sample. Its meaning
     * (smoothing, decay) belongs to the selector that writes it; see {@link #casLatencyEwmaNanos}.
     */
    public long latencyEwmaNanosOpaque() {
        return (long) LATENCY_EWMA_NANOS.getOpaque(this);
    }

    /**
     * Replaces the latency average if it still holds {@code expected}. Many writers (every event loop reporting a
     * response), hence compare-and-set.
     */
    public boolean casLatencyEwmaNanos(long expected, long value) {
        return LATENCY_EWMA_NANOS.compareAndSet(this, expected, value);
    }

    /** When the latency average was last updated, on the selector's nano clock; 0 before the first sample. */
    public long latencySampledAtNanosOpaque() {
        return (long) LATENCY_SAMPLED_AT_NANOS.getOpaque(this);
    }

    /** Records when the latency average was updated. Last writer wins; a slightly stale time only skews decay. */
    public void setLatencySampledAtNanosOpaque(long nanos) {
        LATENCY_SAMPLED_AT_NANOS.setOpaque(this, nanos);
    }

    @Override
    public String toString() {
        return "BackendState{" + id + ' ' + address + " alive=" + isAliveOpaque() + " inFlight=" + inFlightOpaque() + '}';
    }
}
