/**
 * The HTTP/1.1 relay: one {@link dev.fulcrum.transport.proxy.ProxyExchangeHandler} per client connection streams
 * each request to a backend and the response back, chunk by chunk, with buffers passed by reference.
 *
 * <p>Threading: a handler and the upstream connection it is bound to share one event loop; nothing here locks.
 * Ownership: a handler that receives a message forwards it (the write takes ownership) or releases it, on every
 * branch of the method that received it.
 */
package dev.fulcrum.transport.proxy;
