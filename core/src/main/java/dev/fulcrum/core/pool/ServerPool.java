package dev.fulcrum.core.pool;

import dev.fulcrum.algorithms.select.RequestKey;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.select.SelectorOptions;
import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.algorithms.snapshot.SnapshotHolder;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.LocationConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The backends of one location: the published {@link BackendSnapshot}, the location's {@link Selector}, and the
 * control-plane bookkeeping that maps backend URLs to their long-lived {@link BackendState}.
 *
 * <p>Single writer: every method that changes membership or health, and the lookups by URL, are for the control
 * plane only. They are synchronized so that the health checker, a config reload and the slow-start ticker may run on
 * different control threads; event loops never take that lock. {@link #snapshot()},
 * {@link #selector()}, {@link #algorithm()} and {@link #selectAndAcquire} are safe from any thread and never block.
 *
 * <p>Backends are identified by scheme, lower-cased host and port ({@link BackendConfig#key()}); the URL path is
 * ignored. Their ids are opaque and stable: "b" followed by eight hex digits of a hash of that key, so the same
 * backend keeps its id across restarts and config reorderings (sticky cookies carry ids, never URLs).
 *
 * <p>Slow start ({@link SelectorOptions#slowStartNanos()} &gt; 0): a backend that comes back to life
 * ({@link #markAlive}) or joins a running pool starts at 1 % of its weight and ramps linearly to its full weight over
 * the window. Weights live in the immutable snapshot, so the ramp is a series of snapshots: {@link #tickSlowStart()}
 * republishes whenever an effective weight changed. While any backend ramps, every weight is published multiplied by
 * {@link #SLOW_START_RESOLUTION} (proportions unchanged) so that a backend of weight 1 can ramp too; once the ramp
 * ends the plain weights return.
 */
public final class ServerPool {
    /** Ramp steps: weights scale by 100 while a backend ramps, so the ramp moves in steps of 1 % of its weight. */
    public static final int SLOW_START_RESOLUTION = 100;

    // Volatile: the admin API may swap the algorithm at run time (setAlgorithm); event loops read it per request.
    private volatile String algorithm;
    private volatile Selector selector;
    private final SelectorOptions options;
    private final long slowStartNanos;
    private final LongSupplier nanoClock;
    private int ramping;
    private final SnapshotHolder holder;
    /** Control thread only: current members in configured order. */
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    /** Control thread only: keys of backends drained by an operator (published with weight 0). */
    private final Set<String> drained = new HashSet<>();
    /** Control thread only: the pool whose backend states a reload carries over, until the first publish. */
    private ServerPool carryFrom;

    /**
     * @param algorithm algorithm name or alias known to {@link SelectorFactory}
     * @param backends  initial backends, possibly empty; distinct by {@link BackendConfig#key()}
     * @throws IllegalArgumentException for an unknown algorithm or duplicate backends
     */
    public ServerPool(String algorithm, List<BackendConfig> backends) {
        this(algorithm, SelectorOptions.DEFAULTS, backends, System::nanoTime, null);
    }

    /**
     * A pool that adopts the {@link BackendState} (in-flight count, health, counters) and the drained flag of every
     * backend it shares with {@code previous}: how a reload keeps live state. {@code previous} is not changed.
     * Control thread only.
     */
    public ServerPool(String algorithm, List<BackendConfig> backends, ServerPool previous) {
        this(algorithm, previous == null ? SelectorOptions.DEFAULTS : previous.options, backends, System::nanoTime,
                previous);
    }

    /**
     * @param algorithm algorithm name or alias known to {@link SelectorFactory}
     * @param options   the algorithm's parameters, and the slow-start window
     * @param backends  initial backends, possibly empty; distinct by {@link BackendConfig#key()}; they do not ramp,
     *                  except those a reload adds ({@code previous} did not have them)
     * @param nanoClock monotonic time for slow start (tests step it)
     * @param previous  the pool this one replaces on a reload (its backends' live state is adopted), or null
     * @throws IllegalArgumentException for an unknown algorithm, options it cannot use, or duplicate backends
     */
    public ServerPool(String algorithm, SelectorOptions options, List<BackendConfig> backends, LongSupplier nanoClock,
                      ServerPool previous) {
        this.options = Objects.requireNonNull(options, "options");
        this.selector = SelectorFactory.create(algorithm, options);
        this.algorithm = selector.name();
        this.slowStartNanos = options.slowStartNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.holder = new SnapshotHolder(BackendSnapshot.EMPTY);
        this.carryFrom = previous;
        updateBackends(backends);
        if (previous != null) {
            for (String key : previous.drained) {
                if (members.containsKey(key)) {
                    drained.add(key);
                }
            }
            publish();
        }
        this.carryFrom = null;
    }

    /** A pool for a location's configured algorithm and backends. */
    public static ServerPool of(LocationConfig location) {
        return of(location, null);
    }

    /** A pool for a location's config that adopts the live state of {@code previous} (a reload), or null. */
    public static ServerPool of(LocationConfig location, ServerPool previous) {
        return new ServerPool(location.algorithm(), location.options(), location.backends(), System::nanoTime,
                previous);
    }

    /** The current snapshot (acquire load). Read it once per request and work on the local. */
    public BackendSnapshot snapshot() {
        return holder.currentAcquire();
    }

    /** This location's selector; it keeps per-location state such as the rotation counter. */
    public Selector selector() {
        return selector;
    }

    /** The canonical algorithm name. */
    public String algorithm() {
        return algorithm;
    }

    /**
     * Selects a backend and claims one of its in-flight slots. If the selected backend filled up between selection
     * and the claim (another event loop won the race), selects again, at most {@code snapshot.size()} times.
     * Allocation-free.
     *
     * @return the index of the backend whose slot was claimed (the caller must {@link BackendState#release()} it
     *         exactly once), or {@link Selector#NO_BACKEND}
     */
    public static int selectAndAcquire(BackendSnapshot snapshot, Selector selector, RequestKey key) {
        final int attempts = snapshot.size();
        for (int attempt = 0; attempt < attempts; attempt++) {
            final int index = selector.select(snapshot, key);
            if (index == Selector.NO_BACKEND) {
                return Selector.NO_BACKEND;
            }
            if (snapshot.state(index).tryAcquire(snapshot.maxInFlight(index))) {
                return index;
            }
        }
        return Selector.NO_BACKEND;
    }

    /**
     * Adds a backend at the end. Control thread only.
     *
     * @return false (and no change) when a backend with the same scheme, host and port is already listed
     */
    public synchronized boolean addBackend(BackendConfig backend) {
        return addBackend(backend, true);
    }

    /**
     * Adds a backend at the end, out of rotation when {@code alive} is false: a backend checked before traffic
     * waits for its first passing probe without ever being published as alive. Control thread only.
     *
     * @return false (and no change) when a backend with the same scheme, host and port is already listed
     */
    public synchronized boolean addBackend(BackendConfig backend, boolean alive) {
        Objects.requireNonNull(backend, "backend");
        final String key = backend.key();
        if (members.containsKey(key)) {
            return false;
        }
        final Member member = new Member(backend, new BackendState(idFor(key, members), backend.address()));
        if (!alive) {
            member.state.setAliveRelease(false);
        }
        startRamp(member);
        members.put(key, member);
        publish();
        return true;
    }

    /**
     * Removes a backend. Requests already sent to it finish normally; they hold its state, not the snapshot.
     * Control thread only.
     *
     * @return false when no backend matches the URL (or the URL does not parse)
     */
    public synchronized boolean removeBackend(String url) {
        final String key = keyOf(url);
        final Member removed = key == null ? null : members.remove(key);
        if (removed == null) {
            return false;
        }
        if (removed.ramping) {
            ramping--;
        }
        publish();
        return true;
    }

    /**
     * Replaces the backend list. Backends that remain (same scheme, host and port) keep their {@link BackendState},
     * so in-flight counts, health and counters carry over; their weight and cap take the new values. Control
     * thread only.
     *
     * @throws IllegalArgumentException (and no change) when the list holds the same backend twice
     */
    public synchronized void updateBackends(List<BackendConfig> backends) {
        final Set<String> seen = new HashSet<>();
        for (BackendConfig backend : backends) {
            if (!seen.add(backend.key())) {
                throw new IllegalArgumentException("duplicate backend: " + backend.key());
            }
        }
        // A reload's pool is new, but the backends it adds join a running location: they ramp like any other join.
        final boolean initial = carryFrom == null && members.isEmpty() && holder.currentAcquire().size() == 0;
        final LinkedHashMap<String, Member> next = new LinkedHashMap<>();
        ramping = 0;
        for (BackendConfig backend : backends) {
            final String key = backend.key();
            Member existing = members.get(key);
            if (existing == null && carryFrom != null) {
                existing = carryFrom.members.get(key);
            }
            final BackendState state = existing != null
                    ? existing.state
                    : new BackendState(idFor(key, next), backend.address());
            final Member member = new Member(backend, state);
            if (existing != null && existing.ramping) {
                member.ramping = true;
                member.rampStartNanos = existing.rampStartNanos;
                ramping++;
            } else if (existing == null && !initial) {
                startRamp(member);
            }
            next.put(key, member);
        }
        members.clear();
        members.putAll(next);
        drained.retainAll(members.keySet());
        publish();
    }

    /**
     * Switches the algorithm. The new selector is prepared for the current snapshot before it is published, so no
     * request builds a table. Control thread only.
     *
     * @throws IllegalArgumentException (and no change) for an unknown algorithm
     */
    public synchronized void setAlgorithm(String name) {
        final Selector next = SelectorFactory.create(name, options);
        next.prepare(holder.currentAcquire());
        this.selector = next;
        this.algorithm = next.name();
    }

    /**
     * Drains (no new requests; in-flight ones finish) or undrains a backend. Control thread only.
     *
     * @return false when no backend matches the URL
     */
    public synchronized boolean setDrained(String url, boolean drain) {
        final String key = keyOf(url);
        if (key == null || !members.containsKey(key)) {
            return false;
        }
        if (drain ? drained.add(key) : drained.remove(key)) {
            publish();
        }
        return true;
    }

    /** True when an operator drained the backend with this URL. Control thread only. */
    public synchronized boolean isDrained(String url) {
        final String key = keyOf(url);
        return key != null && drained.contains(key);
    }

    /** The config of the backend with this URL (scheme, host and port compared), or null. Control thread only. */
    public synchronized BackendConfig backendConfigByUrl(String url) {
        final String key = keyOf(url);
        final Member member = key == null ? null : members.get(key);
        return member == null ? null : member.config;
    }

    /** The state of the backend with this URL (scheme, host and port compared), or null. Control thread only. */
    public synchronized BackendState backendByUrl(String url) {
        final String key = keyOf(url);
        final Member member = key == null ? null : members.get(key);
        return member == null ? null : member.state;
    }

    /**
     * Publishes a health verdict. The alive flag lives in the backend's state, so no new snapshot is needed.
     * Control thread only (the health checker).
     *
     * @return false when no backend matches the URL
     */
    public synchronized boolean markAlive(String url, boolean alive) {
        final String key = keyOf(url);
        final Member member = key == null ? null : members.get(key);
        if (member == null) {
            return false;
        }
        return markAlive(member, alive);
    }

    /**
     * {@link #markAlive(String, boolean)} for a backend known by its state (the health checker's view); a state
     * this pool does not hold (a backend a reload removed) only gets its flag. Control thread only.
     */
    public synchronized void markAlive(BackendState state, boolean alive) {
        final Member member = members.get(BackendConfig.keyOf(state.address()));
        if (member == null || member.state != state) {
            state.setAliveRelease(alive);
            return;
        }
        markAlive(member, alive);
    }

    private boolean markAlive(Member member, boolean alive) {
        final boolean wasAlive = member.state.isAliveOpaque();
        if (alive && !wasAlive && slowStartNanos > 0) {
            // Ramp from the low weight before the backend becomes eligible, so its first snapshot is already low.
            if (!member.ramping) {
                ramping++;
            }
            member.ramping = true;
            member.rampStartNanos = nanoClock.getAsLong();
            publish();
        }
        member.state.setAliveRelease(alive);
        return true;
    }

    /**
     * Control plane, periodically (every {@link #SLOW_START_TICK_MILLIS} ms): republishes the snapshot when a ramping
     * backend's effective weight has changed, and ends ramps whose window is over. Cheap when nothing ramps.
     *
     * @return true while some backend is still ramping
     */
    public synchronized boolean tickSlowStart() {
        if (ramping == 0) {
            return false;
        }
        final BackendSnapshot current = holder.currentAcquire();
        final long now = nanoClock.getAsLong();
        boolean changed = false;
        int i = 0;
        for (Member member : members.values()) {
            final boolean rampOver = member.ramping && now - member.rampStartNanos >= slowStartNanos;
            if (rampOver || i >= current.size() || effectiveWeight(member, now, true) != current.weight(i)) {
                changed = true;
                break;
            }
            i++;
        }
        if (changed || i != current.size()) {
            publish();
        }
        return ramping > 0;
    }

    /** How often the transport should call {@link #tickSlowStart()}: 1 % steps of a 10 s ramp. */
    public static final long SLOW_START_TICK_MILLIS = 100;

    /** The slow-start window in nanoseconds; 0 when slow start is off. */
    public long slowStartNanos() {
        return slowStartNanos;
    }

    /** The current backend configs in order. Control thread only. */
    public synchronized List<BackendConfig> backends() {
        final List<BackendConfig> list = new ArrayList<>(members.size());
        for (Member member : members.values()) {
            list.add(member.config);
        }
        return list;
    }

    private void publish() {
        final long now = nanoClock.getAsLong();
        // End finished ramps first: the scale of every weight depends on whether any ramp is left.
        for (Member member : members.values()) {
            if (member.ramping && now - member.rampStartNanos >= slowStartNanos) {
                member.ramping = false;
                ramping--;
            }
        }
        final boolean scaled = ramping > 0;
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (Member member : members.values()) {
            builder.add(member.state, effectiveWeight(member, now, scaled), member.config.maxConnections());
        }
        // Tables (Maglev, ring, alias, WRR sequence) are built here on the control thread, before any reader can
        // see the snapshot, never on the request path.
        final BackendSnapshot next = builder.build();
        selector.prepare(next);
        holder.publishRelease(next);
    }

    private void startRamp(Member member) {
        if (slowStartNanos > 0) {
            member.ramping = true;
            member.rampStartNanos = nanoClock.getAsLong();
            ramping++;
        }
    }

    /**
     * The weight to publish: configured, times {@link #SLOW_START_RESOLUTION} while any backend ramps, times the
     * elapsed fraction of the window (at least 1 %) for a ramping backend. Drained backends (weight 0, or drained by
     * an operator) stay at 0.
     */
    private int effectiveWeight(Member member, long now, boolean scaled) {
        final int weight = drained.contains(member.config.key()) ? 0 : member.config.weight();
        if (!scaled || weight == 0) {
            return weight;
        }
        final long full = (long) weight * SLOW_START_RESOLUTION;
        if (!member.ramping) {
            return (int) full;
        }
        final long elapsed = Math.max(0L, now - member.rampStartNanos);
        if (elapsed >= slowStartNanos) {
            return (int) full;
        }
        final double fraction = Math.max(1.0 / SLOW_START_RESOLUTION, elapsed / (double) slowStartNanos);
        return (int) Math.max(1L, Math.min(full, Math.round(full * fraction)));
    }

    private static String keyOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            return BackendConfig.keyOf(BackendAddress.parse(url));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "b" + 8 hex digits of FNV-1a-32 of the key; a collision within the pool takes the next free suffix. */
    private String idFor(String key, Map<String, Member> pending) {
        int hash = 0x811c9dc5;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        final String base = String.format("b%08x", hash);
        String id = base;
        for (int n = 2; isTaken(id, pending); n++) {
            id = base + '-' + n;
        }
        return id;
    }

    private boolean isTaken(String id, Map<String, Member> pending) {
        for (Member member : members.values()) {
            if (member.state.id().equals(id)) {
                return true;
            }
        }
        for (Member member : pending.values()) {
            if (member.state.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ServerPool{" + algorithm + ' ' + snapshot() + '}';
    }

    /** A backend's current config and its long-lived state. */
    private static final class Member {
        final BackendConfig config;
        final BackendState state;
        boolean ramping;
        long rampStartNanos;

        Member(BackendConfig config, BackendState state) {
            this.config = config;
            this.state = state;
        }
    }
}
