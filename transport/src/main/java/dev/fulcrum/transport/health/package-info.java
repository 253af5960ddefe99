/**
 * Active health checks: {@link dev.fulcrum.transport.health.HealthProbe}s run on the event loops without blocking,
 * and the {@link dev.fulcrum.transport.health.HealthChecker}'s control thread turns their results into verdicts.
 *
 * <p>Threading: a probe is confined to the event loop it was assigned; results reach the control thread through a
 * JCTools MPSC queue; the control thread is the single writer of the trackers and of the backends' alive flags.
 */
package dev.fulcrum.transport.health;
