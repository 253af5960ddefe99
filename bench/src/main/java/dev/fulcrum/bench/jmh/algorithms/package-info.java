/**
 * JMH suites for the algorithms module: selection cost per algorithm and table build cost per snapshot layout.
 *
 * <p>Threading: each benchmark state is per trial and shared by the benchmark threads, as a location's selector is
 * shared by event loops; nothing here runs in production.
 */
package dev.fulcrum.bench.jmh.algorithms;
