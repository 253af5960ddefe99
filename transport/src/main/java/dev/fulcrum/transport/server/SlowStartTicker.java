package dev.fulcrum.transport.server;

import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.transport.proxy.ProxyContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Drives slow start: every {@link ServerPool#SLOW_START_TICK_MILLIS} ms asks each pool of the current routing table
 * to republish its snapshot if a ramping backend's weight changed.
 *
 * <p>Runs on Netty's {@link GlobalEventExecutor} thread, never on an event loop: rebuilding a Maglev table or a ring
 * for a new snapshot takes up to milliseconds and must not stall requests. Started only when some location
 * configures {@code lb_options.slow_start} (at start, or later when a reload turns it on); stops itself once the
 * proxy drains.
 */
public final class SlowStartTicker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowStartTicker.class);

    private final ProxyContext context;
    private volatile ScheduledFuture<?> future;

    private SlowStartTicker(ProxyContext context) {
        this.context = context;
    }

    /**
     * Schedules the ticker when a pool of the routing table has slow start on; otherwise does nothing.
     *
     * @return the running ticker, or null when none was needed
     */
    public static SlowStartTicker startIfConfigured(ProxyContext context) {
        boolean configured = false;
        for (ServerPool pool : context.routing().allPools()) {
            configured |= pool.slowStartNanos() > 0;
        }
        if (!configured) {
            return null;
        }
        final SlowStartTicker ticker = new SlowStartTicker(context);
        ticker.future = GlobalEventExecutor.INSTANCE.scheduleAtFixedRate(ticker, ServerPool.SLOW_START_TICK_MILLIS,
                ServerPool.SLOW_START_TICK_MILLIS, TimeUnit.MILLISECONDS);
        return ticker;
    }

    @Override
    public void run() {
        if (context.isDraining()) {
            final ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            return;
        }
        for (ServerPool pool : context.routing().allPools()) {
            try {
                pool.tickSlowStart();
            } catch (RuntimeException e) {
                LOG.warn("slow start tick failed for {}", pool, e);
            }
        }
    }
}
