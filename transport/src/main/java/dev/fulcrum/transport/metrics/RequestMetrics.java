package dev.fulcrum.transport.metrics;

import java.util.concurrent.TimeUnit;

/**
 * The counters of one (service, location, backend) label set: responses by status class, retries, and the upstream
 * latency histogram. The backend label is the backend URL, or {@link #NO_BACKEND} for responses Fulcrum generated
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
    static final int SLOT_LATENCY_COUNT = SLOT_RETRIES + 1;
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

    /** Responses of status class {@code cls} (1..5) so far. */
    public long responses(int cls) {
        return counters.sum(cls - 1);
    }

    public long retries() {
        return counters.sum(SLOT_RETRIES);
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
