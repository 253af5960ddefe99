/**
 * Backend pools: one per location, holding the published backend snapshot and the location's selector.
 *
 * <p>Threading: single writer. Membership changes (config, admin API) and health verdicts come from the control
 * thread only, which publishes a new immutable snapshot with one release store; event loops read the snapshot with
 * an acquire load and select without locks or allocation. Live counters sit in
 * {@link dev.fulcrum.algorithms.snapshot.BackendState} objects that survive every republication.
 */
package dev.fulcrum.core.pool;
