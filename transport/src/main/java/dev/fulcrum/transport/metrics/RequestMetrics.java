package dev.fulcrum.transport.metrics;

import java.util.concurrent.TimeUnit;

/**
 * The counters of one (service, location, backend) label set: responses by status class, retries, the upstream
 * latency histogram, and what resilience did (429s, refused retries, circuit rejections, ejections). The backend label is the backend URL, or {@link #NO_BACKEND} for responses Fulcrum generated
 * without reaching a backend (404 unrouted, 503 nothing eligible).
 *
 * <p>Thread-safe: event loops record into their own stripe ({@link StripedCounters}); the scrape reads the sums.
 * Recording allocates nothing and takes no lock.
 */
public final class RequestMetrics {
    /** Backend label value for responses that no backend produced. */
    public static final String NO_BACKEND = "none";

    /**
     * Upper bounds of the latency buckets, in seconds: 1 ms to 10 s in 1-2.5-5 steps, the range in which proxied
     * request latencies live; 13 bounds plus +Inf keep 14 series per backend (bounded cardinality).
     */
    static final double[] BUCKET_BOUNDS_SECONDS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};
    private static final long[] BUCKET_BOUNDS_NANOS = new long[BUCKET_BOUNDS_SECONDS.length - 1];

    static {
        for (int i = 0; i < BUCKET_BOUNDS_NANOS.length; i++) {
            BUCKET_BOUNDS_NANOS[i] = (long) (BUCKET_BOUNDS_SECONDS[i] * TimeUnit.SECONDS.toNanos(1));
        }
    }

    static final int CLASSES = 5;
    static final int SLOT_RETRIES = CLASSES;
    /** Location level: requests answered 429 by the client rate limiter. */
    static final int SLOT_RATE_LIMITED = SLOT_RETRIES + 1;
    /** Location level: retries not made because the pool's retry budget was used up. */
    static final int SLOT_RETRY_BUDGET_EXHAUSTED = SLOT_RATE_LIMITED + 1;
    /** Backend level: tries its open (or probing) circuit breaker refused. */
    static final int SLOT_CIRCUIT_REJECTED = SLOT_RETRY_BUDGET_EXHAUSTED + 1;
    /** Backend level: outlier ejections, and returns from them (control thread, shared stripe). */
    static final int SLOT_EJECTIONS = SLOT_CIRCUIT_REJECTED + 1;
    static final int SLOT_EJECTION_RETURNS = SLOT_EJECTIONS + 1;
    static final int SLOT_LATENCY_COUNT = SLOT_EJECTION_RETURNS + 1;
    static final int SLOT_LATENCY_SUM_NANOS = SLOT_LATENCY_COUNT + 1;
    static final int SLOT_BUCKET0 = SLOT_LATENCY_SUM_NANOS + 1;
    static final int SLOTS = SLOT_BUCKET0 + BUCKET_BOUNDS_SECONDS.length;

    private final String service;
    private final String location;
    private final String backend;
    private final StripedCounters counters;

    RequestMetrics(String service, String location, String backend, int stripes) {
        this.service = service;
        this.location = location;
        this.backend = backend;
        this.counters = new StripedCounters(stripes, SLOTS);
    }

    public String service() {
        return service;
    }

    public String location() {
        return location;
    }

    public String backend() {
        return backend;
    }

    /** Counts one response by its status class (1xx..5xx; other codes count as 5xx). */
    public void recordStatus(int stripe, int status) {
        final int cls = status / 100;
        counters.add(stripe, cls >= 1 && cls <= CLASSES ? cls - 1 : CLASSES - 1, 1);
    }

    /** Records one upstream exchange's latency (upstream write to end of response). */
    public void recordLatency(int stripe, long nanos) {
        final long[] bounds = BUCKET_BOUNDS_NANOS;
        int bucket = 0;
        while (bucket < bounds.length && nanos > bounds[bucket]) {
            bucket++;
        }
        counters.add(stripe, SLOT_BUCKET0 + bucket, 1);
        counters.add(stripe, SLOT_LATENCY_COUNT, 1);
        counters.add(stripe, SLOT_LATENCY_SUM_NANOS, nanos);
    }

    /** Counts one failed try of this backend that was retried elsewhere. */
    public void recordRetry(int stripe) {
        counters.add(stripe, SLOT_RETRIES, 1);
    }

    /** Counts one request of this location answered 429 by its rate limiter. */
    public void recordRateLimited(int stripe) {
        counters.add(stripe, SLOT_RATE_LIMITED, 1);
    }

    /** Counts one retry of this location that its pool's retry budget refused. */
    public void recordRetryBudgetExhausted(int stripe) {
        counters.add(stripe, SLOT_RETRY_BUDGET_EXHAUSTED, 1);
    }

    /** Counts one try this backend's circuit breaker refused. */
    public void recordCircuitRejected(int stripe) {
        counters.add(stripe, SLOT_CIRCUIT_REJECTED, 1);
    }

    /** Control thread: the backend was ejected by outlier detection. */
    public void recordEjection() {
        counters.add(StripedCounters.SHARED_STRIPE, SLOT_EJECTIONS, 1);
    }

    /** Control thread: the backend came back from an ejection (its time was up, or a reload ended it). */
    public void recordEjectionReturn() {
        counters.add(StripedCounters.SHARED_STRIPE, SLOT_EJECTION_RETURNS, 1);
    }

    /** Responses of status class {@code cls} (1..5) so far. */
    public long responses(int cls) {
        return counters.sum(cls - 1);
    }

    public long retries() {
        return counters.sum(SLOT_RETRIES);
    }

    public long rateLimited() {
        return counters.sum(SLOT_RATE_LIMITED);
    }

    public long retryBudgetExhausted() {
        return counters.sum(SLOT_RETRY_BUDGET_EXHAUSTED);
    }

    public long circuitRejected() {
        return counters.sum(SLOT_CIRCUIT_REJECTED);
    }

    public long ejections() {
        return counters.sum(SLOT_EJECTIONS);
    }

    /** Ejections not yet ended: 0 or 1 for a backend (a read racing the control thread may see a step early). */
    public long ejectedNow() {
        // Returns are read first: an ejection counted between the two reads can only make the gauge higher.
        final long returns = counters.sum(SLOT_EJECTION_RETURNS);
        return Math.max(0L, counters.sum(SLOT_EJECTIONS) - returns);
    }

    long latencyCount() {
        return counters.sum(SLOT_LATENCY_COUNT);
    }

    double latencySumSeconds() {
        return counters.sum(SLOT_LATENCY_SUM_NANOS) / 1e9;
    }

    /** Per-bucket (not cumulative) counts, in the order of {@link #BUCKET_BOUNDS_SECONDS}. */
    long[] bucketCounts() {
        final long[] counts = new long[BUCKET_BOUNDS_SECONDS.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = counters.sum(SLOT_BUCKET0 + i);
        }
        return counts;
    }
}
