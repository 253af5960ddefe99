/**
 * {@code fulcrum demo}: three in-process origin servers with different latency profiles, the real proxy in front of
 * them, and a closed-loop keep-alive HTTP/1.1 client, all in one JVM, ending with a latency and share summary.
 *
 * <p>Threading: the origins share one event loop group, the client another, the proxy has its own; the command's
 * thread only starts, waits and stops them. Origin counters and the client's recorder are written on event loops and
 * read by the command's thread (atomics and HdrHistogram's {@code Recorder} make that safe).
 */
package dev.fulcrum.bench.demo;
