package dev.fulcrum.transport.health;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.HealthCheckConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.health.HealthTracker;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the active health checks of every backend that has one, and publishes each verdict to the backend's alive
 * flag, which every selector already honours.
 *
 * <p>Threading: probes run on the event loops (assigned round robin, never blocking); each result is handed to the
 * control thread through a JCTools MPSC queue. The control thread ({@code fulcrum-health}) is the single writer of
 * the trackers and the alive flags, logs transitions and counts them, and schedules each backend's next probe
 * after its previous result, so a slow backend is never probed twice at once. The queue holds at most one entry
 * per target, so it is sized to the targets and an offer cannot fail.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    /** How often the control thread drains results: bounds the delay between a probe's end and its verdict. */
    private static final long DRAIN_PERIOD_MILLIS = 10;

    private final List<Target> targets;
    private final MpscArrayQueue<HealthProbe> results;
    private final ScheduledExecutorService control;
    private volatile long transitions;

    private HealthChecker(List<Target> targets) {
        this.targets = targets;
        this.results = new MpscArrayQueue<>(Math.max(2, targets.size()));
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "fulcrum-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the targets and marks backends that must be checked before traffic as not alive; call before the
     * listeners bind, then {@link #start()}. Resolves backend names here, on the calling (control) thread.
     */
    public static HealthChecker create(RoutingTable routing, ResilienceConfig resilience, EventLoopGroup group,
                                       Class<? extends SocketChannel> channelClass) {
        final List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        final List<Target> targets = new ArrayList<>();
        for (Location location : routing.locations()) {
            for (BackendConfig backend : location.config().backends()) {
                final HealthCheckConfig config =
                        resilience.healthCheck(location.serviceName(), location.path(), backend.key());
                final BackendState state = location.pool().backendByUrl(backend.url());
                if (config.enabled() && state != null) {
                    targets.add(new Target(location.serviceName() + ' ' + location.path() + ' ' + backend.url(),
                            state, config, backend, new HealthTracker(config)));
                }
            }
        }
        final HealthChecker checker = new HealthChecker(targets);
        for (int i = 0; i < targets.size(); i++) {
            final Target target = targets.get(i);
            final BackendConfig backend = target.backend;
            final InetSocketAddress address = new InetSocketAddress(backend.address().host(), backend.address().port());
            target.probe = new HealthProbe(loops.get(i % loops.size()), channelClass, target.config,
                    backend.address(), address, checker::onResult);
            target.probe.owner = target;
            target.state.setAliveRelease(target.tracker.isHealthy());
        }
        return checker;
    }

    /** Starts probing: every backend now, then once per interval (plus jitter) after each result. */
    public void start() {
        control.scheduleAtFixedRate(this::drain, DRAIN_PERIOD_MILLIS, DRAIN_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        for (Target target : targets) {
            final HealthProbe probe = target.probe;
            probe.loop().execute(probe);
        }
        if (!targets.isEmpty()) {
            LOG.info("health checks: {} backends", targets.size());
        }
    }

    /** Number of backends being checked. */
    public int targets() {
        return targets.size();
    }

    /** Healthy/unhealthy transitions so far, all backends together. */
    public long transitions() {
        return transitions;
    }

    /** Called on a probe's event loop. */
    private void onResult(HealthProbe probe) {
        results.offer(probe);
    }

    /** Control thread: applies results, publishes verdicts, schedules next probes. */
    private void drain() {
        HealthProbe probe;
        while ((probe = results.poll()) != null) {
            final Target target = probe.owner;
            final int change = target.tracker.record(probe.success());
            if (change != HealthTracker.NO_CHANGE) {
                final boolean healthy = change == HealthTracker.BECAME_HEALTHY;
                target.state.setAliveRelease(healthy);
                transitions++;
                if (healthy) {
                    LOG.info("health: {} is healthy ({})", target.name, probe.detail());
                } else {
                    LOG.warn("health: {} is unhealthy ({})", target.name, probe.detail());
                }
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("health: {} probe {}", target.name, probe.detail());
            }
            final HealthCheckConfig config = target.config;
            final long jitter = config.jitterPercent() == 0 ? 0
                    : ThreadLocalRandom.current().nextLong(config.intervalMillis() * config.jitterPercent() / 100 + 1);
            try {
                probe.loop().schedule(probe, config.intervalMillis() + jitter, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                return;
            }
        }
    }

    @Override
    public void close() {
        control.shutdownNow();
    }

    /** One backend of one location under active checks. Fields are written once, then read by the control thread. */
    static final class Target {
        final String name;
        final BackendState state;
        final HealthCheckConfig config;
        final BackendConfig backend;
        final HealthTracker tracker;
        HealthProbe probe;

        Target(String name, BackendState state, HealthCheckConfig config, BackendConfig backend,
               HealthTracker tracker) {
            this.name = name;
            this.state = state;
            this.config = config;
            this.backend = backend;
            this.tracker = tracker;
        }
    }
}
