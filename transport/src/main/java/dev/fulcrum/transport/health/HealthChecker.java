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
import dev.fulcrum.transport.metrics.ProxyMetrics;
import dev.fulcrum.transport.tls.UpstreamTls;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.jctools.queues.MpscGrowableArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs active health checks and outlier detection, and publishes each backend's verdict to its alive flag, which
 * every selector already honours.
 *
 * <p>Threading: probes run on the event loops (assigned round robin, never blocking); each result is handed to the
 * control thread through a JCTools MPSC queue. The control thread ({@code fulcrum-health}) is the single writer of
 * the trackers, the {@link PoolHealth}s and the alive flags; every {@value #TICK_MILLIS} ms it applies results,
 * runs outlier detection over the outcome counters the event loops keep in {@link BackendState}, logs and counts
 * transitions, and schedules each checked backend's next probe after its previous result (so a slow backend is
 * never probed twice at once). The queue holds at most one entry per probe (one per checked backend, plus probes a
 * reload retired whose last run is still out); it grows with them, up to {@value #MAX_QUEUED} entries.
 *
 * <p>Reloads and the admin API's backend changes ({@link #reconcile}) rebuild the pools' health and the targets on
 * the control thread from the pools' current members: a backend that stays keeps its probe, its verdict and its outlier state; new backends are checked
 * at once (and, when checked before traffic, are out of rotation before the table is published); removed backends'
 * probes stop.
 */
public final class HealthChecker implements AutoCloseable, PoolHealth.Events {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    /** Bounds the delay between a probe result or a failure run and the verdict. */
    static final long TICK_MILLIS = 10;
    /** Probe results queued at once, at most: one per probe, so this bounds the checked backends. */
    static final int MAX_QUEUED = 1 << 20;
    /** How long a reload waits for the control thread to rebuild health state. */
    private static final long RECONCILE_TIMEOUT_MILLIS = 10_000;

    private final List<EventLoop> loops;
    private final Class<? extends SocketChannel> channelClass;
    /** Control thread only after {@link #start()} (written by {@link #create} before). */
    private List<Target> targets = List.of();
    private List<PoolHealth> pools = List.of();
    private int nextLoop;
    private final MpscGrowableArrayQueue<HealthProbe> results = new MpscGrowableArrayQueue<>(16, MAX_QUEUED);
    private final ScheduledExecutorService control;
    private final ProxyMetrics metrics;
    /** TLS for http probes of https backends; null probes them in plain HTTP (tests without a proxy). */
    private final UpstreamTls tls;
    private Future<?> ticking;
    private volatile int targetCount;
    private volatile long transitions;
    private volatile long ejections;

    private HealthChecker(List<EventLoop> loops, Class<? extends SocketChannel> channelClass, ProxyMetrics metrics,
                          UpstreamTls tls) {
        this.loops = loops;
        this.channelClass = channelClass;
        this.metrics = metrics;
        this.tls = tls;
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
     *
     * @param metrics where ejections are counted
     */
    public static HealthChecker create(RoutingTable routing, ResilienceConfig resilience, EventLoopGroup group,
                                       Class<? extends SocketChannel> channelClass, ProxyMetrics metrics) {
        return create(routing, resilience, group, channelClass, metrics, null);
    }

    /** As above; http probes of {@code https://} backends speak TLS through {@code tls} (plain when it is null). */
    public static HealthChecker create(RoutingTable routing, ResilienceConfig resilience, EventLoopGroup group,
                                       Class<? extends SocketChannel> channelClass, ProxyMetrics metrics,
                                       UpstreamTls tls) {
        final List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        final HealthChecker checker = new HealthChecker(List.copyOf(loops), channelClass, metrics, tls);
        checker.rebuild(routing, resilience);
        return checker;
    }

    /** Starts probing (every checked backend now, then once per interval plus jitter) and outlier detection. */
    public void start() {
        if (pools.isEmpty()) {
            return;
        }
        startTicking();
        for (Target target : targets) {
            launch(target);
        }
        LOG.info("health: {} pools managed, {} backends actively checked", pools.size(), targets.size());
    }

    /**
     * Reload: rebuilds health state for {@code routing} (not yet published) on the control thread and waits for
     * it. Backends that stay keep their probe, verdict and outlier state; new ones are probed at once and, when
     * checked before traffic, are out of rotation when this returns; removed ones are no longer probed; backends no
     * longer managed at all are put back in rotation. Also called with the published table when the admin API added
     * or removed a backend: the pools' current members are what is checked, not only the file's backends.
     */
    public void reconcile(RoutingTable routing, ResilienceConfig resilience) {
        final Future<?> done;
        try {
            done = control.submit(() -> {
                final List<Target> fresh = rebuild(routing, resilience);
                if (!pools.isEmpty()) {
                    startTicking();
                }
                for (Target target : fresh) {
                    launch(target);
                }
                LOG.info("health: rebuilt, {} pools managed, {} backends actively checked ({} new)", pools.size(),
                        targets.size(), fresh.size());
            });
        } catch (RejectedExecutionException closed) {
            return;
        }
        try {
            done.get(RECONCILE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("health: rebuilding health state for the reloaded configuration failed", e);
        }
    }

    /**
     * Builds pools and targets for {@code routing}, carrying over what stays; returns the targets whose probe is
     * new (not yet launched). Control thread (or the creating thread before start).
     */
    private List<Target> rebuild(RoutingTable routing, ResilienceConfig resilience) {
        final Map<BackendState, Target> oldTargets = new IdentityHashMap<>();
        for (Target target : targets) {
            oldTargets.put(target.state, target);
        }
        final Map<BackendState, PoolHealth> oldPoolOf = new IdentityHashMap<>();
        for (PoolHealth pool : pools) {
            for (int i = 0; i < pool.size(); i++) {
                oldPoolOf.put(pool.state(i), pool);
            }
        }
        final List<PoolHealth> nextPools = new ArrayList<>();
        final List<Target> nextTargets = new ArrayList<>();
        final List<Target> fresh = new ArrayList<>();
        final Set<BackendState> present = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<BackendState> managed = Collections.newSetFromMap(new IdentityHashMap<>());
        final long now = System.nanoTime();
        for (Location location : routing.locations()) {
            final OutlierConfig outlier = resilience.outlier(location.serviceName());
            final List<BackendState> states = new ArrayList<>();
            final List<Target> checked = new ArrayList<>();
            // The pool's current members: the file's backends plus those the admin API added since.
            for (BackendConfig backend : location.pool().backends()) {
                final BackendState state = location.pool().backendByUrl(backend.url());
                if (state == null) {
                    continue;
                }
                present.add(state);
                final HealthCheckConfig config =
                        resilience.healthCheck(location.serviceName(), location.path(), backend.key());
                if (config.enabled()) {
                    final Target old = oldTargets.remove(state);
                    final Target target = new Target(location.serviceName() + ' ' + location.path() + ' '
                            + backend.url(), states.size(), config, backend, state,
                            old == null ? new HealthTracker(config) : new HealthTracker(config, old.tracker));
                    if (old != null && old.config.equals(config)) {
                        target.probe = old.probe; // keeps its schedule; its next result reports to the new target
                        target.probe.owner = target;
                        target.next = old.next;
                    } else {
                        if (old != null) {
                            old.retire();
                        }
                        target.probe = newProbe(target);
                        fresh.add(target);
                    }
                    checked.add(target);
                }
                states.add(state);
            }
            if (checked.isEmpty() && !outlier.enabled()) {
                continue; // nothing manages this pool: its backends stay alive
            }
            final PoolHealth pool = new PoolHealth(location.pool(), states, outlier, this);
            pool.carryOver(oldPoolOf);
            for (Target target : checked) {
                target.pool = pool;
                pool.setActiveHealthy(target.index, target.tracker.isHealthy(), target.tracker.hasPassed());
            }
            pool.tick(now);
            nextPools.add(pool);
            nextTargets.addAll(checked);
            managed.addAll(states);
        }
        for (Target removed : oldTargets.values()) {
            removed.retire();
        }
        for (PoolHealth old : pools) {
            for (int i = 0; i < old.size(); i++) {
                final BackendState state = old.state(i);
                if (!managed.contains(state) && present.contains(state)) {
                    // Nothing judges this backend any more: it takes traffic, as an unmanaged backend does.
                    if (old.isEjected(i)) {
                        returned(state);
                    }
                    state.setAliveRelease(true);
                }
            }
        }
        pools = nextPools;
        targets = nextTargets;
        targetCount = nextTargets.size();
        return fresh;
    }

    private HealthProbe newProbe(Target target) {
        final BackendConfig backend = target.backend;
        final InetSocketAddress address = new InetSocketAddress(backend.address().host(), backend.address().port());
        final HealthProbe probe = new HealthProbe(loops.get(nextLoop++ % loops.size()), channelClass, target.config,
                backend, address, tls, this::onResult);
        probe.owner = target;
        return probe;
    }

    private void launch(Target target) {
        final HealthProbe probe = target.probe;
        try {
            probe.loop().execute(probe);
        } catch (RejectedExecutionException shuttingDown) {
            // the event loops are stopping: no more probes
        }
    }

    private synchronized void startTicking() {
        if (ticking == null) {
            ticking = control.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Number of backends under active checks. */
    public int targets() {
        return targetCount;
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
        if (!results.offer(probe)) {
            LOG.error("health: result queue full ({} entries): a probe stops", MAX_QUEUED);
        }
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
        if (target.retired) {
            return; // its backend left (or its check changed) in a reload: this was its last run
        }
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
            target.next = probe.loop().schedule(probe, config.intervalMillis() + jitter, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the event loops are stopping: no more probes
        }
    }

    @Override
    public void ejected(BackendState backend, int failures, long forMillis, int inARow) {
        ejections++;
        metrics.forBackend(backend).recordEjection();
        LOG.warn("outlier: {} ejected for {} ms after {} consecutive failures (ejection {} in a row)",
                backend.address(), forMillis, failures, inARow);
    }

    @Override
    public void returned(BackendState backend) {
        metrics.forBackend(backend).recordEjectionReturn();
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

    /** One actively checked backend. Written before it is published to the control thread, then used there. */
    static final class Target {
        final String name;
        final int index;
        final HealthCheckConfig config;
        final BackendConfig backend;
        final BackendState state;
        final HealthTracker tracker;
        PoolHealth pool;
        HealthProbe probe;
        /** The probe's next scheduled run, cancelled when the target is retired. */
        io.netty.util.concurrent.ScheduledFuture<?> next;
        boolean retired;

        Target(String name, int index, HealthCheckConfig config, BackendConfig backend, BackendState state,
               HealthTracker tracker) {
            this.name = name;
            this.index = index;
            this.config = config;
            this.backend = backend;
            this.state = state;
            this.tracker = tracker;
        }

        /** Stops probing: a scheduled run is cancelled, a run in progress reports to nobody. */
        void retire() {
            retired = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
