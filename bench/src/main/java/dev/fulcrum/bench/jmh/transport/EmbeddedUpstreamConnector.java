package dev.fulcrum.bench.jmh.transport;

import dev.fulcrum.transport.upstream.UpstreamConnector;
import dev.fulcrum.transport.upstream.UpstreamPool;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;

/**
 * Hands the pool an already-connected {@link EmbeddedChannel} carrying the upstream HTTP codec, instead of a socket.
 *
 * <p>Single-threaded, like the pool that calls it. Remembers the last channel it made so the harness can play the
 * backend on it, and counts connects so the harness can check that keep-alive reuse happened.
 */
final class EmbeddedUpstreamConnector implements UpstreamConnector {
    private final int maxHeaderBytes;
    private EmbeddedChannel last;
    private int connects;

    EmbeddedUpstreamConnector(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public ChannelFuture connect(InetSocketAddress address) {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(UpstreamPool.CODEC, UpstreamPool.newCodec(maxHeaderBytes));
        last = channel;
        connects++;
        return channel.newSucceededFuture();
    }

    /** The channel of the most recent connect, or null. */
    EmbeddedChannel last() {
        return last;
    }

    int connects() {
        return connects;
    }
}
