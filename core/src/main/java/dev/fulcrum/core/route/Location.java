package dev.fulcrum.core.route;

import dev.fulcrum.core.config.LocationConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.rewrite.UrlRewriter;

import java.util.Objects;

/**
 * Where a request goes once routed: a service's location, with its rewriter, redirect and backend pool.
 *
 * <p>Immutable apart from the pool's published state; safe to share between event loops.
 */
public final class Location {
    private final String serviceName;
    private final String serviceHost;
    private final int port;
    private final LocationConfig config;
    private final UrlRewriter rewriter;
    private final ServerPool pool;

    /**
     * @param service the service the location belongs to
     * @param config  the location's config
     * @param pool    the location's backend pool
     */
    public Location(ServiceConfig service, LocationConfig config, ServerPool pool) {
        this.serviceName = service.name();
        this.serviceHost = service.host();
        this.port = service.port();
        this.config = Objects.requireNonNull(config, "config");
        this.rewriter = UrlRewriter.of(config.path(), config.rewrite());
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    public String serviceName() {
        return serviceName;
    }

    /** The service's host (lower case, possibly a {@code *.} wildcard), or null for the port's default service. */
    public String serviceHost() {
        return serviceHost;
    }

    /** The listener port of the service. */
    public int port() {
        return port;
    }

    /** The location's path prefix. */
    public String path() {
        return config.path();
    }

    /** Turns the client's request target into the backend's. */
    public UrlRewriter rewriter() {
        return rewriter;
    }

    /** When non-null, the transport answers 301 with this target instead of proxying. */
    public String redirect() {
        return config.redirect();
    }

    public ServerPool pool() {
        return pool;
    }

    public LocationConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Location{" + serviceName + ':' + port + ' ' + config.path() + '}';
    }
}
