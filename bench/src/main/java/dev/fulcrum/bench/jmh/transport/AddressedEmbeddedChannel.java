package dev.fulcrum.bench.jmh.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An {@link EmbeddedChannel} that reports IP socket addresses, as an accepted TCP connection does.
 *
 * <p>The proxy routes by the local port and derives the client address for forwarding headers and hashing from the
 * remote address; a plain embedded channel's addresses are neither. Same threading as {@link EmbeddedChannel}.
 */
final class AddressedEmbeddedChannel extends EmbeddedChannel {
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    /** Registers the channel (running {@code handler}'s set-up) and makes it active. */
    AddressedEmbeddedChannel(InetSocketAddress local, InetSocketAddress remote, ChannelHandler handler) {
        super(DefaultChannelId.newInstance(), false, false);
        this.local = local;
        this.remote = remote;
        pipeline().addLast(handler);
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException("embedded channel did not register", e);
        }
    }

    @Override
    protected SocketAddress localAddress0() {
        return isActive() ? local : null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return isActive() ? remote : null;
    }
}
