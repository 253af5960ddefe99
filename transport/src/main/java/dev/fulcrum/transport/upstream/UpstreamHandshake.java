package dev.fulcrum.transport.upstream;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.transport.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import javax.net.ssl.SSLException;

/**
 * Puts TLS in front of a new upstream connection and turns "TCP connected" into "TLS session ready": the returned
 * future completes when the handshake does, so a certificate the backend cannot prove fails the connect (and is
 * retried or answered with 502) instead of surfacing later as a closed exchange.
 *
 * <p>Confined to the connection's event loop; one instance per TLS connection opened.
 */
final class UpstreamHandshake implements GenericFutureListener<Future<Channel>> {
    private final ChannelPromise ready;

    private UpstreamHandshake(ChannelPromise ready) {
        this.ready = ready;
    }

    /**
     * Adds the TLS handler first in {@code connect}'s pipeline. Returns a future of the same channel that succeeds
     * once the handshake is done, and fails with the connect or handshake failure.
     */
    static ChannelFuture start(ChannelFuture connect, UpstreamTls tls, BackendAddress address, boolean http1Only) {
        final Channel channel = connect.channel();
        final SslHandler ssl;
        try {
            ssl = tls.newHandler(channel.alloc(), address, http1Only);
        } catch (SSLException | RuntimeException e) {
            channel.close();
            return channel.newFailedFuture(e);
        }
        channel.pipeline().addFirst(UpstreamTls.HANDLER, ssl);
        final UpstreamHandshake handshake = new UpstreamHandshake(channel.newPromise());
        connect.addListener(handshake.onConnect);
        ssl.handshakeFuture().addListener(handshake);
        return handshake.ready;
    }

    /** TCP connect done: on success read, since upstream channels do not auto-read and the handshake needs it. */
    private final ChannelFutureListener onConnect = this::onConnect;

    private void onConnect(ChannelFuture future) {
        if (future.isSuccess()) {
            future.channel().read();
        } else {
            ready.tryFailure(future.cause());
        }
    }

    /** Handshake done. */
    @Override
    public void operationComplete(Future<Channel> future) {
        if (future.isSuccess()) {
            ready.trySuccess();
        } else {
            ready.tryFailure(future.cause());
            ready.channel().close();
        }
    }
}
