package dev.fulcrum.transport.upstream;

import io.netty.channel.ChannelFuture;

import java.net.InetSocketAddress;

/**
 * Opens the channel of a new upstream connection for an {@link UpstreamPool}.
 *
 * <p>The pool's default connector is a Netty {@code Bootstrap} bound to the pool's event loop. Other connectors
 * exist for measurement: a benchmark hands out an already-connected {@code EmbeddedChannel} to drive the real
 * forwarding path without sockets.
 *
 * <p>Called on the pool's event loop only. Contract for the returned future: its channel runs on (or, for an
 * embedded channel, is driven from) the pool's event loop; by the time the future completes successfully the
 * channel's pipeline ends with the HTTP client codec named {@link UpstreamPool#CODEC} (see
 * {@link UpstreamPool#newCodec(int)}); the pool appends its {@link UpstreamConnection} named
 * {@link UpstreamPool#HANDLER} right after this returns.
 */
@FunctionalInterface
public interface UpstreamConnector {
    ChannelFuture connect(InetSocketAddress address);
}
