package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The eligible backend with the smallest EWMA latency x (in-flight + 1) (nginx {@code least_time}, Finagle's
 * peak-EWMA idea without the peak).
 *
 * <p>Thread-safe and lock-free: {@link #onResponse} folds a sample into the backend's average with a
 * compare-and-set ({@link BackendState#casLatencyEwmaNanos}); {@link #select} is one O(n) scan of opaque reads.
 *
 * <p>Decay: the average halves for every {@code decayHalfLifeNanos} without a sample, so a backend that was slow,
 * or failed, and then stopped receiving traffic looks cheaper over time, gets a request again, and its fresh sample
 * decides. A backend without samples scores by in-flight count alone, below any sampled backend, so it is tried.
 * A failure counts as a sample of at least {@link #FAILURE_PENALTY_NANOS}, so fast failures do not attract traffic
 * (terraster's bug). Ties go to the first backend found from a random starting point.
 */
public final class LeastResponseTimeSelector implements Selector {
    public static final String NAME = "least-response-time";

    /** Long enough to smooth over a few thousand requests at typical rates, short enough to retry a slow backend soon. */
    public static final long DEFAULT_DECAY_HALF_LIFE_NANOS = 2_000_000_000L;
    /** A failed exchange weighs like a 1 s response: pushes the backend down without excluding it. */
    public static final long FAILURE_PENALTY_NANOS = 1_000_000_000L;
    /** New sample weight 1/2^2 = 0.25: a step change shows within about 5 samples. */
    static final int SMOOTHING_SHIFT = 2;
    /** 2^32 ns (4.3 s): keeps EWMA x (in-flight + 1) within a long; slower backends all rank last anyway. */
    static final long MAX_EWMA_NANOS = 1L << 32;

    private final LongSupplier nanoClock;
    private final long decayHalfLifeNanos;
    private final RandomSource random;

    public LeastResponseTimeSelector() {
        this(System::nanoTime, DEFAULT_DECAY_HALF_LIFE_NANOS, RandomSource.threadLocal());
    }

    /**
     * @param nanoClock          monotonic time in nanoseconds (tests step it)
     * @param decayHalfLifeNanos idle time after which a backend's average has halved
     * @param random             where the tie-breaking start point comes from
     */
    public LeastResponseTimeSelector(LongSupplier nanoClock, long decayHalfLifeNanos, RandomSource random) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (decayHalfLifeNanos < 1) {
            throw new IllegalArgumentException("decayHalfLifeNanos must be positive: " + decayHalfLifeNanos);
        }
        this.decayHalfLifeNanos = decayHalfLifeNanos;
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final int n = snapshot.size();
        if (n == 0) {
            return NO_BACKEND;
        }
        final long now = nanoClock.getAsLong();
        final int start = Hashing.reduce(random.nextLong(), n);
        int best = NO_BACKEND;
        long bestScore = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            if (i >= n) {
                i -= n;
            }
            // Eligibility from the snapshot's contiguous words; only eligible backends' states are visited.
            final int inFlight = snapshot.inFlightWordPlain(i);
            if (inFlight >= snapshot.admitBelow(i)) {
                continue;
            }
            final long score = (decayedEwma(snapshot.state(i), now) + 1) * (inFlight + 1L);
            if (score < bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    @Override
    public void onResponse(BackendState state, long latencyNanos, boolean success) {
        final long sample = Math.min(MAX_EWMA_NANOS,
                success ? Math.max(0L, latencyNanos) : Math.max(latencyNanos, FAILURE_PENALTY_NANOS));
        final long now = nanoClock.getAsLong();
        while (true) {
            final long old = state.latencyEwmaNanosOpaque();
            final long decayed = decayedEwma(state, now);
            final long next = decayed == 0 ? Math.max(1L, sample) : decayed + ((sample - decayed) >> SMOOTHING_SHIFT);
            if (state.casLatencyEwmaNanos(old, Math.max(1L, next))) {
                state.setLatencySampledAtNanosOpaque(now);
                return;
            }
        }
    }

    /** The backend's average halved once per half-life since its last sample; 0 when it has none. */
    long decayedEwma(BackendState state, long now) {
        final long ewma = state.latencyEwmaNanosOpaque();
        if (ewma == 0) {
            return 0;
        }
        final long idle = now - state.latencySampledAtNanosOpaque();
        if (idle < decayHalfLifeNanos) {
            return ewma;
        }
        final long halvings = idle / decayHalfLifeNanos;
        return halvings >= 63 ? 0 : ewma >> halvings;
    }

    @Override
    public String name() {
        return NAME;
    }
}
