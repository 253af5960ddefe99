package dev.fulcrum.bench.loadgen;

/**
 * One interval (normally a second) of the measured phase.
 *
 * @param endSeconds     end of the interval, seconds since the measured phase began
 * @param lengthSeconds  its length
 * @param completed      responses completed in it, any status
 * @param succeeded      2xx responses completed in it
 * @param errors         errors of every kind counted in it
 * @param p50Millis      corrected latency median of the responses completed in it (0 when none)
 * @param p99Millis      corrected latency p99 of the responses completed in it (0 when none)
 */
public record IntervalSample(double endSeconds, double lengthSeconds, long completed, long succeeded, long errors,
                             double p50Millis, double p99Millis) {
    public double ratePerSecond() {
        return lengthSeconds <= 0 ? 0 : completed / lengthSeconds;
    }

    /** 2xx responses per second: the throughput that served someone. */
    public double successRatePerSecond() {
        return lengthSeconds <= 0 ? 0 : succeeded / lengthSeconds;
    }
}
