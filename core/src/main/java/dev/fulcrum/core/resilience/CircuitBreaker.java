package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.CircuitBreakerConfig;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * One backend's circuit breaker: closed (requests pass, consecutive failures counted), open (requests rejected
 * until the reset timeout), half-open (at most {@code half_open_requests} probe requests at once; the first success
 * closes the circuit, a failure opens it again).
 *
 * <p>Thread-safe and lock-free: event loops call {@link #tryAcquire} before sending and {@link #onSuccess} /
 * {@link #onFailure} / {@link #abandon} after. A closed circuit costs one volatile read per request and no write
 * while requests succeed. Failures are upstream errors and upstream 5xx only; Fulcrum's own 429/503 never reach
 * a breaker (terraster counted every status >= 500, its own included, and keyed the breaker by Host).
 * Benign races: two threads tripping at once both write the open time (the later one wins, a few microseconds
 * apart); a straggler result from before a trip is ignored because only a result of the current state counts.
 */
public final class CircuitBreaker {
    public static final int CLOSED = 0;
    public static final int OPEN = 1;
    public static final int HALF_OPEN = 2;

    /** {@link #tryAcquire} verdicts. */
    public static final int REJECT = 0;
    public static final int ADMIT = 1;
    public static final int ADMIT_PROBE = 2;

    private static final VarHandle STATE;
    private static final VarHandle FAILURES;
    private static final VarHandle PROBES;
    private static final VarHandle OPENED_AT_NANOS;
    private static final VarHandle TRIPS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(CircuitBreaker.class, "state", int.class);
            FAILURES = lookup.findVarHandle(CircuitBreaker.class, "failures", int.class);
            PROBES = lookup.findVarHandle(CircuitBreaker.class, "probes", int.class);
            OPENED_AT_NANOS = lookup.findVarHandle(CircuitBreaker.class, "openedAtNanos", long.class);
            TRIPS = lookup.findVarHandle(CircuitBreaker.class, "trips", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CircuitBreakerConfig config;
    private final int failureThreshold;
    private final long resetTimeoutNanos;
    private final int halfOpenRequests;

    @SuppressWarnings("unused") private volatile int state;
    @SuppressWarnings("unused") private int failures;
    @SuppressWarnings("unused") private int probes;
    @SuppressWarnings("unused") private long openedAtNanos;
    @SuppressWarnings("unused") private long trips;

    public CircuitBreaker(CircuitBreakerConfig config) {
        this.config = config;
        this.failureThreshold = config.failureThreshold();
        this.resetTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.resetTimeoutMillis());
        this.halfOpenRequests = config.halfOpenRequests();
    }

    /** The settings this breaker was built with; a reload keeps the breaker only while they stay the same. */
    public CircuitBreakerConfig config() {
        return config;
    }

    /** {@link #CLOSED}, {@link #OPEN} or {@link #HALF_OPEN}. */
    public int state() {
        return state;
    }

    /** Times the circuit opened. */
    public long tripsOpaque() {
        return (long) TRIPS.getOpaque(this);
    }

    /**
     * Whether a request may go to this backend now.
     *
     * @return {@link #ADMIT}, {@link #ADMIT_PROBE} (the caller must report its outcome with {@code probe=true} or
     *         {@link #abandon}), or {@link #REJECT}
     */
    public int tryAcquire(long nowNanos) {
        final int s = state;
        if (s == CLOSED) {
            return ADMIT;
        }
        return tryAcquireSlow(s, nowNanos);
    }

    private int tryAcquireSlow(int s, long nowNanos) {
        if (s == OPEN) {
            if (nowNanos - (long) OPENED_AT_NANOS.getAcquire(this) < resetTimeoutNanos) {
                return REJECT;
            }
            // Probes were reset to 0 before the circuit opened; the winner of this CAS opens the half-open window.
            STATE.compareAndSet(this, OPEN, HALF_OPEN);
            if (state == CLOSED) {
                return ADMIT;
            }
        }
        int p = (int) PROBES.getVolatile(this);
        while (p < halfOpenRequests && state == HALF_OPEN) {
            final int witness = (int) PROBES.compareAndExchange(this, p, p + 1);
            if (witness == p) {
                return ADMIT_PROBE;
            }
            p = witness;
        }
        return state == CLOSED ? ADMIT : REJECT;
    }

    /** The request got a response below 500. */
    public void onSuccess(boolean probe) {
        if (probe) {
            if (STATE.compareAndSet(this, HALF_OPEN, CLOSED)) {
                FAILURES.setOpaque(this, 0);
            }
        } else if ((int) FAILURES.getOpaque(this) != 0) {
            FAILURES.setOpaque(this, 0);
        }
    }

    /** The request failed upstream (connect error, reset, timeout) or got a 5xx from the backend. */
    public void onFailure(boolean probe, long nowNanos) {
        if (probe) {
            trip(HALF_OPEN, nowNanos);
        } else if (state == CLOSED && (int) FAILURES.getAndAdd(this, 1) + 1 >= failureThreshold) {
            trip(CLOSED, nowNanos);
        }
    }

    /** A probe request ended without an outcome (the client went away): frees its probe slot. */
    public void abandon(boolean probe) {
        if (probe && state == HALF_OPEN) {
            PROBES.getAndAdd(this, -1);
        }
    }

    private void trip(int from, long nowNanos) {
        PROBES.setVolatile(this, 0);
        OPENED_AT_NANOS.setRelease(this, nowNanos);
        if (STATE.compareAndSet(this, from, OPEN)) {
            FAILURES.setOpaque(this, 0);
            TRIPS.getAndAdd(this, 1L);
        }
    }

    @Override
    public String toString() {
        final int s = state;
        return "CircuitBreaker{" + (s == CLOSED ? "closed" : s == OPEN ? "open" : "half-open") + '}';
    }
}
