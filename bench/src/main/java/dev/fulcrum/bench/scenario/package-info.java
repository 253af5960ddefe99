/**
 * {@code fulcrum scenario NAME|FILE}: simulated origins with latency distributions, error rates, capacities and timed
 * events, the real Fulcrum proxy in front of them, the same open-loop load for each algorithm to compare, and a ranked
 * report with charts in {@code perf-reports/scenarios/<name>/}.
 *
 * <p>Threading: the runner's thread starts and stops everything; origins run on their own NIO group, the proxy on
 * its own loops, the load on the load generator's loops; timed events fire on one scheduler thread.
 */
package dev.fulcrum.bench.scenario;
