/**
 * The admin listener: a small Netty HTTP/1.1 + JSON server, separate from the proxy's listeners, that exposes the
 * seed's ServerPool operations (add, update, remove, drain backends; change a location's algorithm and caps), health
 * and stats summaries, {@code /metrics}, and config reload; with bearer-token authentication (JWT HS256 or API
 * keys), reader/admin roles, a CIDR allowlist and optional TLS.
 *
 * <p>Threading: requests are decoded on the admin event loop; every read or change of routing state runs on the
 * single {@link dev.fulcrum.transport.admin.ControlPlane} thread (the one writer of every ServerPool and of the
 * routing table), and the response is written back from there. Event loops of the proxy only ever read the
 * snapshots that thread publishes.
 */
package dev.fulcrum.transport.admin;
