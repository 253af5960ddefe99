package dev.fulcrum.transport.upstream;

import dev.fulcrum.algorithms.snapshot.BackendState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection to a backend and the pipeline handler that relays its responses to whoever it is bound
 * to.
 *
 * <p>Confined to its event loop. While bound to an {@link UpstreamListener} every response message goes to the
 * listener, which then owns it; while idle in the pool any inbound message is a protocol error and closes the
 * connection.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

    private final UpstreamPool pool;
    private final BackendState backend;
    private final Channel channel;
    /** An HTTP/2 stream ({@link Http2Upstream}): used for one exchange, then closed instead of pooled. */
    private final boolean stream;
    private UpstreamListener listener;
    private long idleSinceNanos;
    private boolean closeReported;
    /** Has served an exchange before: the backend may have closed it while it sat in the pool. */
    private boolean reused;

    UpstreamConnection(UpstreamPool pool, BackendState backend, Channel channel) {
        this(pool, backend, channel, false);
    }

    UpstreamConnection(UpstreamPool pool, BackendState backend, Channel channel, boolean stream) {
        this.pool = pool;
        this.backend = backend;
        this.channel = channel;
        this.stream = stream;
    }

    public Channel channel() {
        return channel;
    }

    public BackendState backend() {
        return backend;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void markIdle(long nowNanos) {
        idleSinceNanos = nowNanos;
    }

    /** Binds the connection to one exchange; the caller then writes the request. */
    public void bind(UpstreamListener newListener) {
        this.listener = newListener;
    }

    /**
     * Unbinds after a complete exchange and returns the connection to its pool. A read is left pending so that the
     * backend closing the idle connection is noticed at once.
     */
    public void releaseToPool() {
        listener = null;
        if (stream) {
            // The stream ended both ways; its connection stays with the pool's HTTP/2 connection for other streams.
            closeReported = true;
            channel.close();
            return;
        }
        reused = true;
        pool.offer(this);
        if (channel.isActive()) {
            channel.read();
        }
    }

    /**
     * Unbinds for good without closing: the connection now carries another protocol (after a 101) and its new
     * owner replaces this handler. It is not in the pool and never returns to it.
     */
    public void detachForTunnel() {
        listener = null;
        closeReported = true;
    }

    /**
     * True when a close of this connection says little about the backend's health: it is a reused keep-alive
     * connection (closed by the backend while idle, racing our request), or a stream whose HTTP/2 connection closed
     * (GOAWAY, request limit) under it.
     */
    public boolean mayHaveGoneStale() {
        return reused || (stream && !channel.parent().isActive());
    }

    /** Unbinds and closes: the exchange ended in a state the connection cannot be reused from. */
    public void discard() {
        listener = null;
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        final UpstreamListener l = listener;
        if (l == null) {
            // Bytes on an idle connection: the backend is out of step with us. Never reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse) {
            if (stream) {
                // Netty's HTTP/2 conversion adds its x-http2-* bookkeeping headers; they are not the backend's.
                ((HttpResponse) msg).headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
            }
            l.onResponseHead(this, (HttpResponse) msg);
            if (msg instanceof HttpContent && listener == l) {
                l.onResponseContent(this, (HttpContent) msg);
            }
        } else if (msg instanceof HttpContent) {
            l.onResponseContent(this, (HttpContent) msg);
        } else if (msg instanceof ByteBuf) {
            l.onUpgradedBytes(this, (ByteBuf) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        final UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        final UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reportClosed(null);
        pool.remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("upstream {} failed: {}", backend.address(), cause.toString());
        }
        reportClosed(cause);
        ctx.close();
    }

    private void reportClosed(Throwable cause) {
        final UpstreamListener l = listener;
        listener = null;
        if (l != null && !closeReported) {
            closeReported = true;
            l.onUpstreamClosed(this, cause);
        }
    }
}
