/**
 * {@code fulcrum loadgen}: an HTTP/1.1 keep-alive load generator on Netty's native transport, open loop at a constant
 * rate (latency measured from each request's scheduled send time, so coordinated omission is corrected) or closed
 * loop at maximum rate.
 *
 * <p>Threading: every connection lives on one event loop of the generator's group and is confined to it; each loop
 * owns one {@link dev.fulcrum.bench.loadgen.LoopStats} (HdrHistogram {@code SingleWriterRecorder}s and counters
 * written by that loop only). One control thread samples the recorders once per interval, prints progress and builds
 * the result.
 */
package dev.fulcrum.bench.loadgen;
