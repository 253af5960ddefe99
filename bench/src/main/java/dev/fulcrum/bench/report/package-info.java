/**
 * Report writers: generated markdown (and the environment block every report carries) from result files. General on
 * purpose: algorithm-specific pages live with the algorithm benchmarks.
 *
 * <p>Stateless classes, called on one thread.
 */
package dev.fulcrum.bench.report;
