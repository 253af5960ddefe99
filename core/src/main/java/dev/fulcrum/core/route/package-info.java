/**
 * Request routing: listener port, then virtual host, then longest location prefix.
 *
 * <p>Threading: a {@link dev.fulcrum.core.route.RoutingTable} is built on the control thread and is immutable
 * apart from the {@link dev.fulcrum.core.pool.ServerPool}s it points at. Event loops call
 * {@link dev.fulcrum.core.route.VirtualHosts#route} concurrently; it reads only final arrays and allocates nothing.
 */
package dev.fulcrum.core.route;
