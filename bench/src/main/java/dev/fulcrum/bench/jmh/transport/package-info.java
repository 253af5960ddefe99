/**
 * JMH suites for the transport module: the forwarding path (client request in, upstream write, upstream response
 * in, client response out) through the real pipeline, driven by {@code EmbeddedChannel}s instead of sockets.
 *
 * <p>Threading: each benchmark state is per thread ({@code Scope.Thread}); an embedded channel runs its handlers on
 * the calling thread, standing in for the event loop that owns both the client and the upstream channel.
 */
package dev.fulcrum.bench.jmh.transport;
