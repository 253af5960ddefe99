/**
 * {@code fulcrum compare-peers}: the same load through Fulcrum, nginx and HAProxy, each pinned to one core, with
 * throughput, latency percentiles and CPU time per request of each proxy process, written as a generated report.
 */
package dev.fulcrum.bench.peers;
