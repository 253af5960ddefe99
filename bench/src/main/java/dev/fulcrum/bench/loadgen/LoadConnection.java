package dev.fulcrum.bench.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One logical keep-alive connection and its send schedule. The schedule survives reconnects: in open loop, requests
 * whose time passed while the connection was down are sent at once when it is back, and their latency counts from
 * when they were due.
 *
 * <p>Confined to one event loop. Shared across the successive channels of the logical connection (one at a time),
 * hence {@code @Sharable}.
 */
@ChannelHandler.Sharable
final class LoadConnection extends ChannelInboundHandlerAdapter {
    /** Pause before replacing a lost connection: a dead target must not turn the generator into a busy loop. */
    private static final long RECONNECT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadRun run;
    private final LoopStats stats;
    private final RequestTemplate request;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SocketAddress remote;
    private final SocketAddress local;
    private final long intervalNanos;
    private final Runnable scheduledSend = this::sendWhenDue;
    private final Runnable reconnect = this::connect;
    private final Runnable timeoutCheck = this::checkTimeout;
    private final ChannelFutureListener onConnect = this::connected;

    private Channel channel;
    /** Next send time in open loop; 0 until the schedule starts. */
    private long dueNanos;
    private long scheduledNanos;
    private long sentNanos;
    private boolean inFlight;
    private boolean timerArmed;
    private boolean closeAfterResponse;
    private int status;

    LoadConnection(LoadRun run, LoopStats stats, RequestTemplate request, EventLoop loop, Bootstrap bootstrap,
                   SocketAddress remote, SocketAddress local, long firstDueNanos) {
        this.run = run;
        this.stats = stats;
        this.request = request;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.remote = remote;
        this.local = local;
        this.intervalNanos = run.options().connectionIntervalNanos();
        this.dueNanos = firstDueNanos;
    }

    /** Starts the timeout check and the first connect; called on {@link #loop}. */
    void start() {
        final long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), run.options().timeoutNanos() / 4);
        loop.scheduleAtFixedRate(timeoutCheck, period, period, TimeUnit.NANOSECONDS);
        connect();
    }

    private void connect() {
        if (!run.sending()) {
            return;
        }
        final ChannelFuture future = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
        future.addListener(onConnect);
    }

    private void connected(ChannelFuture future) {
        if (future.isSuccess()) {
            channel = future.channel();
            run.register(channel);
            channel.pipeline().addLast(this);
            if (!timerArmed) {
                sendWhenDue();
            }
        } else {
            stats.increment(Counter.CONNECT_ERROR);
            loop.schedule(reconnect, RECONNECT_DELAY_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends now if the next request is due (or in closed loop), else arms the timer for its due time. */
    private void sendWhenDue() {
        final boolean fromTimer = timerArmed;
        timerArmed = false;
        final Channel ch = channel;
        if (inFlight || ch == null || !ch.isActive()) {
            return;
        }
        if (!run.sending()) {
            ch.close();
            return;
        }
        final long now = System.nanoTime();
        final long scheduled;
        if (intervalNanos == 0) {
            scheduled = now;
        } else {
            if (now < dueNanos) {
                timerArmed = true;
                loop.schedule(scheduledSend, dueNanos - now, TimeUnit.NANOSECONDS);
                return;
            }
            scheduled = dueNanos;
            dueNanos += intervalNanos;
            if (fromTimer) {
                // The connection was idle waiting for this time: how late the timer fired is our own error.
                stats.recordSchedulingError(now - scheduled);
            }
        }
        inFlight = true;
        status = 0;
        scheduledNanos = scheduled;
        sentNanos = now;
        stats.increment(Counter.SENT);
        ch.writeAndFlush(request.next(), ch.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!inFlight) {
                return; // nothing asked for this (a late answer after a timeout closes with the channel)
            }
            final DecoderResult result = ((HttpObject) msg).decoderResult();
            if (result.isFailure()) {
                inFlight = false;
                stats.increment(Counter.PROTOCOL_ERROR);
                ctx.close();
                return;
            }
            if (msg instanceof HttpResponse) {
                final HttpResponse response = (HttpResponse) msg;
                status = response.status().code();
                closeAfterResponse = response.headers().containsValue(HttpHeaderNames.CONNECTION,
                        HttpHeaderValues.CLOSE, true);
            }
            if (msg instanceof LastHttpContent) {
                complete(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        final long now = System.nanoTime();
        inFlight = false;
        stats.recordResponse(now - scheduledNanos, now - sentNanos);
        stats.increment(Counter.COMPLETED);
        stats.increment(Counter.forStatus(status));
        if (closeAfterResponse) {
            closeAfterResponse = false;
            ctx.close(); // channelInactive reconnects
            return;
        }
        if (!timerArmed) {
            sendWhenDue();
        }
    }

    private void checkTimeout() {
        if (inFlight && System.nanoTime() - sentNanos > run.options().timeoutNanos()) {
            inFlight = false;
            stats.increment(Counter.TIMEOUT);
            final Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (inFlight) {
            inFlight = false;
            if (run.sending()) {
                stats.increment(Counter.CLOSED);
            }
        }
        channel = null;
        if (run.sending()) {
            loop.schedule(reconnect, RECONNECT_DELAY_NANOS, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // counted by channelInactive when a request was in flight
    }

    boolean inFlight() {
        return inFlight;
    }
}
