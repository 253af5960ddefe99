package dev.fulcrum.core.health;

import dev.fulcrum.core.config.HealthCheckConfig;

/**
 * The verdict of active health checking for one backend: consecutive successes and failures against the
 * configured thresholds.
 *
 * <p>Single writer: the health control thread. A backend checked before traffic starts unhealthy and its first
 * successful probe makes it healthy at once (Envoy's rule: waiting for {@code healthy} successes would keep a fresh
 * backend out for several intervals for no gain). After that, {@code unhealthy} consecutive failures take it out
 * and {@code healthy} consecutive successes bring it back. terraster started every backend healthy, so a dead one
 * took {@code unhealthy x interval} (40 s by default) to leave the rotation.
 */
public final class HealthTracker {
    public static final int NO_CHANGE = 0;
    public static final int BECAME_HEALTHY = 1;
    public static final int BECAME_UNHEALTHY = 2;

    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private boolean healthy;
    private boolean probed;
    private boolean passed;
    private int successes;
    private int failures;

    public HealthTracker(HealthCheckConfig config) {
        this.healthyThreshold = config.healthyThreshold();
        this.unhealthyThreshold = config.unhealthyThreshold();
        this.healthy = !config.checkBeforeTraffic();
        this.passed = healthy;
    }

    /**
     * A tracker for changed settings of a backend already checked (a reload): the verdict and the current run of
     * results carry over, so a backend does not leave rotation just because its thresholds were edited.
     */
    public HealthTracker(HealthCheckConfig config, HealthTracker previous) {
        this(config);
        this.healthy = previous.healthy;
        this.passed = previous.passed;
        this.probed = previous.probed;
        this.successes = previous.successes;
        this.failures = previous.failures;
    }

    /** True once the backend has been healthy at least once (always, when not checked before traffic). */
    public boolean hasPassed() {
        return passed;
    }

    /** The current verdict. */
    public boolean isHealthy() {
        return healthy;
    }

    /** Records one probe result; returns {@link #NO_CHANGE}, {@link #BECAME_HEALTHY} or {@link #BECAME_UNHEALTHY}. */
    public int record(boolean success) {
        final boolean first = !probed;
        probed = true;
        if (success) {
            failures = 0;
            successes++;
            if (!healthy && (first || successes >= healthyThreshold)) {
                healthy = true;
                passed = true;
                return BECAME_HEALTHY;
            }
        } else {
            successes = 0;
            failures++;
            if (healthy && failures >= unhealthyThreshold) {
                healthy = false;
                return BECAME_UNHEALTHY;
            }
        }
        return NO_CHANGE;
    }
}
