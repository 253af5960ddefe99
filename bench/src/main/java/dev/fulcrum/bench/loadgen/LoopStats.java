package dev.fulcrum.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the connections of one event loop measured: latency from the scheduled send time (corrected), latency from
 * the actual send time (uncorrected), how late the timer fired a scheduled send (the generator's own scheduling
 * error), and counters.
 *
 * <p>Single writer: only the owning event loop records; the control thread samples. Values are microseconds.
 */
final class LoopStats {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder correctedMicros = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder uncorrectedMicros = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder schedulingErrorMicros = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);

    /** Called on the owning loop only: a plain read-modify-write published with release semantics. */
    void increment(Counter counter) {
        final int i = counter.ordinal();
        counts.setRelease(i, counts.getPlain(i) + 1);
    }

    void recordResponse(long correctedNanos, long uncorrectedNanos) {
        correctedMicros.recordValue(Math.max(0, correctedNanos / 1_000));
        uncorrectedMicros.recordValue(Math.max(0, uncorrectedNanos / 1_000));
    }

    void recordSchedulingError(long lateNanos) {
        schedulingErrorMicros.recordValue(Math.max(0, lateNanos / 1_000));
    }

    long count(Counter counter) {
        return counts.getAcquire(counter.ordinal());
    }

    /** Moves what was recorded since the last call into the given accumulators (control thread). */
    void drainInto(Histogram corrected, Histogram uncorrected, Histogram schedulingError) {
        corrected.add(correctedMicros.getIntervalHistogram());
        uncorrected.add(uncorrectedMicros.getIntervalHistogram());
        schedulingError.add(schedulingErrorMicros.getIntervalHistogram());
    }
}
