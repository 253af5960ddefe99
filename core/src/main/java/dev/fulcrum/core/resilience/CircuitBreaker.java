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
 *
 * <p>The state and the half-open window's probe count share one word, changed only by compare-and-set, so a probe
 * slot can be taken only while the window it belongs to is open: when a probe fails and the circuit reopens, a
 * request racing it cannot take a slot in the spent window, nor leave a slot counted into the next one (with
 * separate words both happened, and the next window could admit no probe at all). Benign races: two threads
 * tripping at once both write the open time (the later one wins, a few microseconds apart); a straggler result
 * from before a trip is ignored because only a result of the current state counts; a straggler probe result from
 * an earlier half-open window counts towards the current one (no window generation is carried to the caller).
 */
public final class CircuitBreaker {
    public static final int CLOSED = 0;
    public static final int OPEN = 1;
    public static final int HALF_OPEN = 2;

    /** {@link #tryAcquire} verdicts. */
    public static final int REJECT = 0;
    public static final int ADMIT = 1;
    public static final int ADMIT_PROBE = 2;

    /** The low two bits of the word hold the state; the rest count probes admitted in the half-open window. */
    private static final int STATE_MASK = 3;
    private static final int ONE_PROBE = 4;

    private static final VarHandle WORD;
    private static final VarHandle FAILURES;
    private static final VarHandle OPENED_AT_NANOS;
    private static final VarHandle TRIPS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WORD = lookup.findVarHandle(CircuitBreaker.class, "word", int.class);
            FAILURES = lookup.findVarHandle(CircuitBreaker.class, "failures", int.class);
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

    /** State (low two bits) and, while half-open, probes admitted times {@link #ONE_PROBE}; 0 is closed. */
    @SuppressWarnings("unused") private volatile int word;
    @SuppressWarnings("unused") private int failures;
    @SuppressWarnings("unused") private long openedAtNanos;
    @SuppressWarnings("unused") private long trips;

    public CircuitBreaker(CircuitBreakerConfig config) {
        this.config = config;
        this.failureThreshold = config.failureThreshold();
        this.resetTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.resetTimeoutMillis());
        this.halfOpenRequests = Math.min(config.halfOpenRequests(), 1 << 28);   // the word counts up to 2^29
    }

    /** The settings this breaker was built with; a reload keeps the breaker only while they stay the same. */
    public CircuitBreakerConfig config() {
        return config;
    }

    /** {@link #CLOSED}, {@link #OPEN} or {@link #HALF_OPEN}. */
    public int state() {
        return word & STATE_MASK;
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
        final int w = word;
        if (w == CLOSED) {
            return ADMIT;
        }
        return tryAcquireSlow(w, nowNanos);
    }

    private int tryAcquireSlow(int w, long nowNanos) {
        while (true) {
            final int s = w & STATE_MASK;
            if (s == CLOSED) {
                return ADMIT;
            }
            final int next;
            if (s == OPEN) {
                if (nowNanos - (long) OPENED_AT_NANOS.getAcquire(this) < resetTimeoutNanos) {
                    return REJECT;
                }
                next = HALF_OPEN + ONE_PROBE;   // the winner opens the half-open window and is its first probe
            } else if ((w >>> 2) < halfOpenRequests) {
                next = w + ONE_PROBE;
            } else {
                return REJECT;
            }
            final int witness = (int) WORD.compareAndExchange(this, w, next);
            if (witness == w) {
                return ADMIT_PROBE;
            }
            w = witness;
        }
    }

    /** The request got a response below 500. */
    public void onSuccess(boolean probe) {
        if (probe) {
            int w = word;
            while ((w & STATE_MASK) == HALF_OPEN) {
                final int witness = (int) WORD.compareAndExchange(this, w, CLOSED);
                if (witness == w) {
                    FAILURES.setOpaque(this, 0);
                    return;
                }
                w = witness;
            }
        } else if ((int) FAILURES.getOpaque(this) != 0) {
            FAILURES.setOpaque(this, 0);
        }
    }

    /** The request failed upstream (connect error, reset, timeout) or got a 5xx from the backend. */
    public void onFailure(boolean probe, long nowNanos) {
        if (probe) {
            trip(HALF_OPEN, nowNanos);
        } else if (word == CLOSED && (int) FAILURES.getAndAdd(this, 1) + 1 >= failureThreshold) {
            trip(CLOSED, nowNanos);
        }
    }

    /** A probe request ended without an outcome (the client went away): frees its probe slot. */
    public void abandon(boolean probe) {
        if (!probe) {
            return;
        }
        int w = word;
        while ((w & STATE_MASK) == HALF_OPEN && (w >>> 2) > 0) {
            final int witness = (int) WORD.compareAndExchange(this, w, w - ONE_PROBE);
            if (witness == w) {
                return;
            }
            w = witness;
        }
    }

    /** Opens the circuit if it is still in state {@code from} (any probe count); the open window has no probes. */
    private void trip(int from, long nowNanos) {
        OPENED_AT_NANOS.setRelease(this, nowNanos);
        int w = word;
        while ((w & STATE_MASK) == from) {
            final int witness = (int) WORD.compareAndExchange(this, w, OPEN);
            if (witness == w) {
                FAILURES.setOpaque(this, 0);
                TRIPS.getAndAdd(this, 1L);
                return;
            }
            w = witness;
        }
    }

    @Override
    public String toString() {
        final int s = state();
        return "CircuitBreaker{" + (s == CLOSED ? "closed" : s == OPEN ? "open" : "half-open") + '}';
    }
}
