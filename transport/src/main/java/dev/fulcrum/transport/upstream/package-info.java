/**
 * Upstream connections: per event loop, per backend pools of keep-alive HTTP/1.1 connections (the seed's
 * ConnectionPool); connections to {@code https://} backends carry their TLS session and count as connected once
 * the handshake is done.
 *
 * <p>Threading: a pool belongs to exactly one event loop and is touched only from it; a connection never moves to
 * another loop, so the client channel and its upstream channel share a thread and hand buffers over without
 * synchronisation.
 */
package dev.fulcrum.transport.upstream;
