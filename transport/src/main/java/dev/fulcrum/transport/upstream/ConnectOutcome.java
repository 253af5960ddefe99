package dev.fulcrum.transport.upstream;

import dev.fulcrum.algorithms.snapshot.BackendState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns "the new upstream channel is connected (and its TLS handshake done)" into the connection an exchange uses:
 * the channel's own HTTP/1.1 {@link UpstreamConnection}, or, when an {@code auto} backend chose h2 by ALPN, the
 * first stream of the HTTP/2 connection that channel becomes. A channel that failed is closed here.
 *
 * <p>Confined to the channel's event loop; one instance per connection opened.
 */
final class ConnectOutcome implements ChannelFutureListener {
    final Promise<UpstreamConnection> promise;
    private final UpstreamPool pool;
    private final BackendState backend;
    private final UpstreamConnection connection;
    private final boolean mayChooseHttp2;
    /** Exchanges waiting for this connection's ALPN choice (see {@link UpstreamPool#alpnLearned}); null when none. */
    private List<Promise<UpstreamConnection>> waiters;

    ConnectOutcome(UpstreamPool pool, BackendState backend, UpstreamConnection connection, ChannelFuture ready,
                   boolean mayChooseHttp2) {
        this.pool = pool;
        this.backend = backend;
        this.connection = connection;
        this.mayChooseHttp2 = mayChooseHttp2;
        this.promise = connection.channel().eventLoop().newPromise();
        ready.addListener(this);
    }

    /** A promise of a connection for another exchange, kept until this connection's ALPN choice is known. */
    Future<UpstreamConnection> await() {
        if (waiters == null) {
            waiters = new ArrayList<>();
        }
        final Promise<UpstreamConnection> waiter = connection.channel().eventLoop().newPromise();
        waiters.add(waiter);
        return waiter;
    }

    /** The choice is known: each waiting exchange asks the pool again, or fails with this connection. */
    void releaseWaiters(Throwable failure) {
        if (waiters == null) {
            return;
        }
        final List<Promise<UpstreamConnection>> released = waiters;
        waiters = null;
        for (Promise<UpstreamConnection> waiter : released) {
            if (failure != null) {
                waiter.tryFailure(failure);
            } else {
                PromiseNotifier.cascade(pool.connect(backend, false), waiter);
            }
        }
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        final Channel channel = connection.channel();
        if (!future.isSuccess()) {
            channel.close();
            promise.tryFailure(future.cause());
            if (mayChooseHttp2) {
                pool.alpnLearned(backend, this, false, future.cause());
            }
            return;
        }
        final SslHandler ssl = mayChooseHttp2 ? channel.pipeline().get(SslHandler.class) : null;
        final boolean h2 = ssl != null && ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol());
        if (h2) {
            PromiseNotifier.cascade(pool.adoptHttp2(backend, channel), promise);
        } else {
            promise.trySuccess(connection);
        }
        if (mayChooseHttp2) {
            pool.alpnLearned(backend, this, h2, null);
        }
    }
}
