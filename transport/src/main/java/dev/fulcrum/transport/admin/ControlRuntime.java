package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.ControlConfig;
import dev.fulcrum.transport.accesslog.AccessLog;
import dev.fulcrum.transport.server.ProxyServer;

import javax.net.ssl.SSLException;

/**
 * Everything around a running proxy that is not the data plane: the control thread, reloads, the config watcher
 * and the admin listener.
 *
 * <p>Started and closed by one thread (RunCommand or a test).
 */
public final class ControlRuntime implements AutoCloseable {
    private final ControlPlane plane;
    private final Reloader reloader;
    private final AdminServer admin;
    private final ConfigWatcher watcher;

    private ControlRuntime(ControlPlane plane, Reloader reloader, AdminServer admin, ConfigWatcher watcher) {
        this.plane = plane;
        this.reloader = reloader;
        this.admin = admin;
        this.watcher = watcher;
    }

    /**
     * @param source where reloads read from, or null when the config came from the command line (no reload)
     * @throws SSLException when the admin TLS certificate or key cannot be loaded
     */
    public static ControlRuntime start(ProxyServer proxy, ControlConfig control, ConfigSource source)
            throws InterruptedException, SSLException {
        proxy.context().accessLog(new AccessLog(control.accessLog()));
        final ControlPlane plane = new ControlPlane();
        final Reloader reloader = source == null ? null : new Reloader(proxy, source, plane, control);
        AdminServer admin = null;
        ConfigWatcher watcher = null;
        try {
            if (control.admin().enabled()) {
                admin = AdminServer.start(control, proxy, plane, reloader);
            }
            if (reloader != null && control.admin().watch()) {
                watcher = new ConfigWatcher(source.files(), reloader);
            }
        } catch (InterruptedException | SSLException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            plane.close();
            throw e;
        }
        return new ControlRuntime(plane, reloader, admin, watcher);
    }

    /** Null when the config came from the command line. */
    public Reloader reloader() {
        return reloader;
    }

    /** Null when the admin API is disabled. */
    public AdminServer admin() {
        return admin;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (admin != null) {
            admin.close();
        }
        plane.close();
    }
}
