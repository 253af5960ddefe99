package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ControlConfig;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.accesslog.AccessLog;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.server.ProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Re-reads the configuration and swaps it in without dropping a connection: validate everything first, build the
 * new routing table (pools adopt the live state of the backends they keep), bind new listener ports, then publish
 * the table with one volatile write. A config that fails any step is refused with its error and the running one
 * keeps serving, untouched.
 *
 * <p>Every reload runs on the {@link ControlPlane} thread, whatever triggered it (SIGHUP, POST /api/reload, the file
 * watcher), so reloads and admin edits never interleave. In-flight exchanges keep the location and backend they
 * resolved; keep-alive connections route their next request with the new table.
 */
public final class Reloader {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final ProxyServer server;
    private final ConfigSource source;
    private final ControlPlane control;
    private final List<Consumer<ControlConfig>> listeners = new CopyOnWriteArrayList<>();
    /** Control thread only. */
    private FulcrumConfig current;
    private ControlConfig currentControl;
    private long generation;

    public Reloader(ProxyServer server, ConfigSource source, ControlPlane control, ControlConfig initialControl) {
        this.server = server;
        this.source = source;
        this.control = control;
        this.current = server.context().config();
        this.currentControl = initialControl;
    }

    /** Called on the control thread after each applied reload, with the new control config (admin users etc.). */
    public void onApplied(Consumer<ControlConfig> listener) {
        listeners.add(listener);
    }

    /** The outcome of one reload. */
    public record Result(boolean applied, long generation, String error, List<String> restartRequired,
                         List<String> warnings) {
    }

    /** Queues a reload on the control thread. */
    public CompletableFuture<Result> reload(String trigger) {
        return control.submit(() -> reloadNow(trigger));
    }

    /** Control thread only. */
    Result reloadNow(String trigger) {
        final FulcrumConfig next;
        final ControlConfig nextControl;
        try {
            next = source.loadProxy();
            nextControl = source.loadControl();
        } catch (ConfigException e) {
            return refused(trigger, e.getMessage());
        }
        if (!dev.fulcrum.transport.tls.ServerTls.layout(current)
                .equals(dev.fulcrum.transport.tls.ServerTls.layout(next))) {
            // Listeners got their TLS handlers at start: a plain port must never start serving a TLS service.
            return refused(trigger, "TLS services, ports or certificate paths changed: restart needed"
                    + " (changed certificate files are picked up without one)");
        }
        final ProxyContext context = server.context();
        final RoutingTable table;
        try {
            table = RoutingTable.build(next, context.routing());
        } catch (IllegalArgumentException e) {
            return refused(trigger, e.getMessage());
        }
        final List<String> undone = AdminEdits.undoneBy(context.routing(), table);
        try {
            server.syncListeners(table.ports());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(trigger, "interrupted while binding");
        } catch (Exception e) {
            return refused(trigger, "cannot bind a new listener port: " + e.getMessage());
        }
        server.applyRouting(table, next.resilience());
        context.accessLog(new AccessLog(nextControl.accessLog()));
        final List<String> restart = restartRequired(current, next, currentControl, nextControl);
        current = next;
        currentControl = nextControl;
        generation++;
        for (Consumer<ControlConfig> listener : listeners) {
            listener.accept(nextControl);
        }
        final List<String> warnings = new ArrayList<>(next.warnings());
        warnings.addAll(nextControl.warnings());
        for (String line : undone) {
            LOG.warn("reload ({}): {}", trigger, line);
            warnings.add(line);
        }
        LOG.info("reload ({}) applied: generation {}, {} locations, ports {}{}", trigger, generation,
                table.locations().size(), table.ports(), restart.isEmpty() ? "" : "; needs a restart: " + restart);
        return new Result(true, generation, null, restart, warnings);
    }

    private Result refused(String trigger, String error) {
        LOG.warn("reload ({}) refused, the running configuration stays: {}", trigger, error);
        return new Result(false, generation, error, List.of(), List.of());
    }

    /** Settings the running process fixed at start: a change is reported, and takes effect after a restart. */
    private static List<String> restartRequired(FulcrumConfig a, FulcrumConfig b, ControlConfig ca, ControlConfig cb) {
        final List<String> out = new ArrayList<>();
        if (!a.transport().equals(b.transport())) {
            out.add("transport");
        }
        if (a.ioThreads() != b.ioThreads()) {
            out.add("io_threads");
        }
        if (!a.bindHost().equals(b.bindHost())) {
            out.add("bind");
        }
        if (!a.timeouts().equals(b.timeouts())) {
            out.add("timeouts");
        }
        if (!a.limits().equals(b.limits())) {
            out.add("limits");
        }
        if (a.retries() != b.retries()) {
            out.add("retries");
        }
        if (!a.proxyHeaders().equals(b.proxyHeaders())) {
            out.add("proxy_headers");
        }
        if (a.resilience().retryBudget().perTryTimeoutMillis() != b.resilience().retryBudget().perTryTimeoutMillis()) {
            out.add("retry_budget.per_try_timeout");
        }
        if (!a.connectionPool().equals(b.connectionPool())) {
            out.add("connection_pool");
        }
        if (ca != null && (ca.admin().enabled() != cb.admin().enabled() || ca.admin().port() != cb.admin().port()
                || !ca.admin().bind().equals(cb.admin().bind())
                || !Objects.equals(ca.admin().tlsCertFile(), cb.admin().tlsCertFile())
                || !ca.admin().allowedCidrs().equals(cb.admin().allowedCidrs())
                || !ca.admin().trustedProxies().equals(cb.admin().trustedProxies()))) {
            out.add("api");
        }
        return out;
    }
}
