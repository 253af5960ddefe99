/**
 * The {@code fulcrum} command line: one shaded jar, subcommands {@code run} (the proxy), {@code demo} (origins, proxy
 * and load in one process) and {@code jmh} (the benchmark suites).
 *
 * <p>Threading: each command runs on the thread that called {@code main}; commands that start servers own and stop
 * their event loops before they return.
 */
package dev.fulcrum.bench.cli;
