package dev.fulcrum.bench.demo;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * How long a demo or scenario origin waits before it answers: constant, uniform, lognormal or bimodal.
 *
 * <p>Immutable; {@link #nextDelayNanos()} draws from the calling thread's {@link ThreadLocalRandom}, so one profile
 * serves every event loop; {@link #nextDelayNanos(RandomGenerator)} draws from a caller's (seeded) generator.
 */
public final class LatencyProfile {
    /** Lognormal draws are capped at this multiple of the median so one draw cannot stall a connection for long. */
    private static final double LOGNORMAL_CAP_MEDIANS = 20.0;

    private enum Shape { CONSTANT, UNIFORM, LOGNORMAL, BIMODAL }

    private final Shape shape;
    private final long aNanos;
    private final long bNanos;
    /** Lognormal: sigma; bimodal: the share of slow draws. */
    private final double spread;
    private final String description;

    private LatencyProfile(Shape shape, long aNanos, long bNanos, double sigma, String description) {
        this.shape = shape;
        this.aNanos = aNanos;
        this.bNanos = bNanos;
        this.spread = sigma;
        this.description = description;
    }

    public static LatencyProfile constantMillis(double millis) {
        final long nanos = toNanos(millis);
        return new LatencyProfile(Shape.CONSTANT, nanos, nanos, 0, fmt(millis) + " ms constant");
    }

    /** Uniform on [{@code fromMillis}, {@code toMillis}). */
    public static LatencyProfile uniformMillis(double fromMillis, double toMillis) {
        if (toMillis < fromMillis) {
            throw new IllegalArgumentException("uniform: " + toMillis + " < " + fromMillis);
        }
        return new LatencyProfile(Shape.UNIFORM, toNanos(fromMillis), toNanos(toMillis), 0,
                "uniform " + fmt(fromMillis) + "-" + fmt(toMillis) + " ms");
    }

    /** Lognormal with the given median and shape {@code sigma} (the standard deviation of the log). */
    public static LatencyProfile lognormalMillis(double medianMillis, double sigma) {
        return new LatencyProfile(Shape.LOGNORMAL, toNanos(medianMillis), 0, sigma,
                "lognormal median " + fmt(medianMillis) + " ms, sigma " + sigma);
    }

    /**
     * Two constant modes: {@code fastMillis} most of the time, {@code slowMillis} with probability
     * {@code slowShare} (a cache miss, a GC pause, a cold shard).
     */
    public static LatencyProfile bimodalMillis(double fastMillis, double slowMillis, double slowShare) {
        if (!(slowShare >= 0 && slowShare <= 1)) {
            throw new IllegalArgumentException("bimodal: slow share must be in [0, 1]: " + slowShare);
        }
        return new LatencyProfile(Shape.BIMODAL, toNanos(fastMillis), toNanos(slowMillis), slowShare,
                "bimodal " + fmt(fastMillis) + " ms / " + fmt(slowMillis) + " ms at " + slowShare);
    }

    public long nextDelayNanos() {
        return nextDelayNanos(ThreadLocalRandom.current());
    }

    public long nextDelayNanos(RandomGenerator random) {
        switch (shape) {
            case CONSTANT:
                return aNanos;
            case UNIFORM:
                return aNanos == bNanos ? aNanos : random.nextLong(aNanos, bNanos);
            case BIMODAL:
                return random.nextDouble() < spread ? bNanos : aNanos;
            default:
                final double draw = aNanos * Math.exp(spread * random.nextGaussian());
                return (long) Math.min(draw, aNanos * LOGNORMAL_CAP_MEDIANS);
        }
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    private static long toNanos(double millis) {
        if (!(millis >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0 ms: " + millis);
        }
        return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static String fmt(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis);
    }
}
