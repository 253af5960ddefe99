/**
 * Upstream connections: per event loop, per backend pools of keep-alive HTTP/1.1 connections (the seed's
 * ConnectionPool); connections to {@code https://} backends carry their TLS session and count as connected once
 * the handshake is done. Backends that speak HTTP/2 (h2 chosen by ALPN, or configured h2/h2c) get one multiplexed
 * connection per event loop instead ({@link dev.fulcrum.transport.upstream.Http2Upstream}), and each exchange a
 * stream on it that it drives like an HTTP/1.1 connection.
 *
 * <p>Threading: a pool belongs to exactly one event loop and is touched only from it; a connection never moves to
 * another loop, so the client channel and its upstream channel share a thread and hand buffers over without
 * synchronisation.
 */
package dev.fulcrum.transport.upstream;
