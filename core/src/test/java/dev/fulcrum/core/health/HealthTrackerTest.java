package dev.fulcrum.core.health;

import dev.fulcrum.core.config.HealthCheckConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthTrackerTest {
    private static HealthCheckConfig config(boolean checkBeforeTraffic) {
        return new HealthCheckConfig(true, "http", "/", 200, 299, null, 1_000, 500, 0, 2, 3, checkBeforeTraffic);
    }

    @Test
    void aBackendCheckedBeforeTrafficStartsUnhealthyAndTheFirstSuccessAdmitsIt() {
        final HealthTracker tracker = new HealthTracker(config(true));
        assertFalse(tracker.isHealthy());
        assertEquals(HealthTracker.BECAME_HEALTHY, tracker.record(true));
        assertTrue(tracker.isHealthy());
    }

    @Test
    void aFirstFailureKeepsANewBackendOutUntilTheHealthyThreshold() {
        final HealthTracker tracker = new HealthTracker(config(true));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(true));
        assertEquals(HealthTracker.BECAME_HEALTHY, tracker.record(true));
    }

    @Test
    void takesOutAfterUnhealthyConsecutiveFailuresAndBringsBackAfterHealthySuccesses() {
        final HealthTracker tracker = new HealthTracker(config(false));
        assertTrue(tracker.isHealthy());
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(true), "a success resets the failure run");
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false));
        assertEquals(HealthTracker.BECAME_UNHEALTHY, tracker.record(false));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(true));
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(false), "a failure resets the success run");
        assertEquals(HealthTracker.NO_CHANGE, tracker.record(true));
        assertEquals(HealthTracker.BECAME_HEALTHY, tracker.record(true));
    }
}
