/**
 * The listening side: event loop group, listeners per configured port, client pipelines, start-up and drain.
 *
 * <p>Threading: {@link dev.fulcrum.transport.server.ProxyServer} is started and stopped by one control thread;
 * everything it creates runs on the event loops.
 */
package dev.fulcrum.transport.server;
