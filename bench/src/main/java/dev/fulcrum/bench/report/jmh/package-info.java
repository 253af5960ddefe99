/**
 * Reports made from JMH result files (the algorithms report: {@link dev.fulcrum.bench.report.jmh.JmhAlgorithmsReport}).
 *
 * <p>Threading: run once from a command line; nothing here is shared or long-lived.
 */
package dev.fulcrum.bench.report.jmh;
