/**
 * Backend membership and live backend state.
 *
 * <p>Threading: a {@link dev.fulcrum.algorithms.snapshot.BackendSnapshot} is immutable and is published by one
 * writer (the control thread) through a {@link dev.fulcrum.algorithms.snapshot.SnapshotHolder}; event loops only
 * read it. {@link dev.fulcrum.algorithms.snapshot.BackendState} objects are long-lived, shared by every snapshot
 * that lists the backend, and updated by many threads through atomic operations only.
 */
package dev.fulcrum.algorithms.snapshot;
