package dev.fulcrum.transport.health;

import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.HealthCheckConfig;
import dev.fulcrum.core.config.OutlierConfig;
import dev.fulcrum.core.config.ResilienceConfig;
import dev.fulcrum.core.health.HealthTracker;
import dev.fulcrum.core.health.PoolHealth;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.tls.UpstreamTls;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs active health checks and outlier detection, and publishes each backend's verdict to its alive flag, which
 * every selector already honours.
 *
 * <p>Threading: probes run on the event loops (assigned round robin, never blocking); each result is handed to the
 * control thread through a JCTools MPSC queue. The control thread ({@code fulcrum-health}) is the single writer of
 * the trackers, the {@link PoolHealth}s and the alive flags; every {@value #TICK_MILLIS} ms it applies results,
 * runs outlier detection over the outcome counters the event loops keep in {@link BackendState}, logs and counts
 * transitions, and schedules each checked backend's next probe after its previous result (so a slow backend is
 * never probed twice at once). The queue holds at most one entry per checked backend, so it is sized to them and
 * an offer cannot fail.
 */
public final class HealthChecker implements AutoCloseable, PoolHealth.Events {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    /** Bounds the delay between a probe result or a failure run and the verdict. */
    static final long TICK_MILLIS = 10;

    private final List<Target> targets;
    private final List<PoolHealth> pools;
    private final MpscArrayQueue<HealthProbe> results;
    private final ScheduledExecutorService control;
    private volatile long transitions;
    private volatile long ejections;

    private HealthChecker(int maxTargets) {
        this.targets = new ArrayList<>();
        this.pools = new ArrayList<>();
        this.results = new MpscArrayQueue<>(Math.max(2, maxTargets));
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "fulcrum-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the pools' health and the probes, and publishes the initial verdicts (backends checked before traffic
     * are out); call before the listeners bind, then {@link #start()}. Resolves backend names here, on the calling
     * (control) thread, never on an event loop.
     */
    public static HealthChecker create(RoutingTable routing, ResilienceConfig resilience, EventLoopGroup group,
                                       Class<? extends SocketChannel> channelClass) {
        return create(routing, resilience, group, channelClass, null);
    }

    /** As above; probes of {@code https://} backends speak TLS through {@code tls} (plain TCP when it is null). */
    public static HealthChecker create(RoutingTable routing, ResilienceConfig resilience, EventLoopGroup group,
                                       Class<? extends SocketChannel> channelClass, UpstreamTls tls) {
        final List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        int backends = 0;
        for (Location location : routing.locations()) {
            backends += location.config().backends().size();
        }
        // At most one result per checked backend is ever queued, and there are at most this many.
        final HealthChecker checker = new HealthChecker(backends);
        for (Location location : routing.locations()) {
            final OutlierConfig outlier = resilience.outlier(location.serviceName());
            final List<BackendState> states = new ArrayList<>();
            final List<Target> checked = new ArrayList<>();
            for (BackendConfig backend : location.config().backends()) {
                final BackendState state = location.pool().backendByUrl(backend.url());
                if (state == null) {
                    continue;
                }
                final HealthCheckConfig config =
                        resilience.healthCheck(location.serviceName(), location.path(), backend.key());
                if (config.enabled()) {
                    checked.add(new Target(location.serviceName() + ' ' + location.path() + ' ' + backend.url(),
                            states.size(), config, backend, new HealthTracker(config)));
                }
                states.add(state);
            }
            if (checked.isEmpty() && !outlier.enabled()) {
                continue; // nothing manages this pool: its backends stay alive
            }
            final PoolHealth pool = new PoolHealth(states, outlier, checker);
            for (Target target : checked) {
                target.pool = pool;
                pool.setActiveHealthy(target.index, target.tracker.isHealthy(), target.tracker.hasPassed());
            }
            pool.tick(System.nanoTime());
            checker.pools.add(pool);
            checker.targets.addAll(checked);
        }
        for (int i = 0; i < checker.targets.size(); i++) {
            final Target target = checker.targets.get(i);
            final BackendConfig backend = target.backend;
            final InetSocketAddress address = new InetSocketAddress(backend.address().host(), backend.address().port());
            target.probe = new HealthProbe(loops.get(i % loops.size()), channelClass, target.config,
                    backend, address, tls, checker::onResult);
            target.probe.owner = target;
        }
        return checker;
    }

    /** Starts probing (every checked backend now, then once per interval plus jitter) and outlier detection. */
    public void start() {
        if (pools.isEmpty()) {
            return;
        }
        control.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        for (Target target : targets) {
            final HealthProbe probe = target.probe;
            probe.loop().execute(probe);
        }
        LOG.info("health: {} pools managed, {} backends actively checked", pools.size(), targets.size());
    }

    /** Number of backends under active checks. */
    public int targets() {
        return targets.size();
    }

    /** Healthy/unhealthy transitions from active checks so far, all backends together. */
    public long transitions() {
        return transitions;
    }

    /** Outlier ejections so far, all backends together. */
    public long ejections() {
        return ejections;
    }

    /** Called on a probe's event loop. */
    private void onResult(HealthProbe probe) {
        results.offer(probe);
    }

    /** Control thread. */
    private void tick() {
        try {
            HealthProbe probe;
            while ((probe = results.poll()) != null) {
                apply(probe);
            }
            final long now = System.nanoTime();
            for (PoolHealth pool : pools) {
                pool.tick(now);
            }
        } catch (RuntimeException e) {
            LOG.error("health: control tick failed", e); // never let the periodic task die
        }
    }

    private void apply(HealthProbe probe) {
        final Target target = probe.owner;
        final int change = target.tracker.record(probe.success());
        if (change != HealthTracker.NO_CHANGE) {
            final boolean healthy = change == HealthTracker.BECAME_HEALTHY;
            target.pool.setActiveHealthy(target.index, healthy, target.tracker.hasPassed());
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
        } catch (RejectedExecutionException shuttingDown) {
            // the event loops are stopping: no more probes
        }
    }

    @Override
    public void ejected(BackendState backend, int failures, long forMillis, int inARow) {
        ejections++;
        LOG.warn("outlier: {} ejected for {} ms after {} consecutive failures (ejection {} in a row)",
                backend.address(), forMillis, failures, inARow);
    }

    @Override
    public void returned(BackendState backend) {
        LOG.info("outlier: {} returns to rotation", backend.address());
    }

    @Override
    public void panic(boolean entered, int healthy, int total) {
        if (entered) {
            LOG.warn("health: panic, only {} of {} backends healthy: routing to all of them", healthy, total);
        } else {
            LOG.info("health: panic over, {} of {} backends healthy", healthy, total);
        }
    }

    @Override
    public void close() {
        control.shutdownNow();
    }

    /** One actively checked backend. Written once before start, then used by the control thread. */
    static final class Target {
        final String name;
        final int index;
        final HealthCheckConfig config;
        final BackendConfig backend;
        final HealthTracker tracker;
        PoolHealth pool;
        HealthProbe probe;

        Target(String name, int index, HealthCheckConfig config, BackendConfig backend, HealthTracker tracker) {
            this.name = name;
            this.index = index;
            this.config = config;
            this.backend = backend;
            this.tracker = tracker;
        }
    }
}
