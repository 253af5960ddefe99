/**
 * Health policy without I/O: the threshold state machine of active checks
 * ({@link dev.fulcrum.core.health.HealthTracker}) and each pool's verdicts ({@link dev.fulcrum.core.health.PoolHealth}).
 * Probes themselves run in the transport module.
 *
 * <p>Threading: a tracker has one writer, the health control thread, which also publishes its verdict to the
 * backend's alive flag.
 */
package dev.fulcrum.core.health;
