/**
 * Choice of the I/O transport: io_uring, epoll or NIO, and the Netty classes each one needs.
 *
 * <p>Threading: consulted once at start-up by the thread that builds the server.
 */
package dev.fulcrum.transport.io;
