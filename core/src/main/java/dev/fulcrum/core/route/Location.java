package dev.fulcrum.core.route;

import dev.fulcrum.core.config.LocationConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.rewrite.UrlRewriter;
import dev.fulcrum.core.rules.BackendRedirectRewriter;
import dev.fulcrum.core.rules.LocationRedirect;
import dev.fulcrum.core.rules.ServiceRules;

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
    private final ServiceRules rules;
    private final LocationRedirect redirectRule;
    private final BackendRedirectRewriter backendRedirects;

    /**
     * @param service the service the location belongs to
     * @param config  the location's config
     * @param pool    the location's backend pool
     */
    public Location(ServiceConfig service, LocationConfig config, ServerPool pool) {
        this(service, config, pool, ServiceRules.of(service));
    }

    /**
     * @param rules the service's rules, shared by all its locations
     */
    public Location(ServiceConfig service, LocationConfig config, ServerPool pool, ServiceRules rules) {
        this.serviceName = service.name();
        this.serviceHost = service.host();
        this.port = service.port();
        this.config = Objects.requireNonNull(config, "config");
        this.rewriter = UrlRewriter.of(config.path(), config.rewrite());
        this.pool = Objects.requireNonNull(pool, "pool");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.redirectRule = LocationRedirect.of(config);
        this.backendRedirects = new BackendRedirectRewriter(rewriter);
    }

    /** The catch-all of an {@code http_redirect} service: no config, no pool, only the HTTPS redirect. */
    private Location(ServiceConfig service, ServiceRules rules) {
        this.serviceName = service.name();
        this.serviceHost = service.host();
        this.port = service.port();
        this.config = null;
        this.rewriter = UrlRewriter.of(LocationConfig.DEFAULT_PATH, null);
        this.pool = null;
        this.rules = rules;
        this.redirectRule = null;
        this.backendRedirects = new BackendRedirectRewriter(rewriter);
    }

    /**
     * The single location of an {@code http_redirect} service. It has no pool and no config and is never listed in
     * {@link RoutingTable#locations()}; {@code rules().httpsRedirect()} is non-null.
     */
    public static Location httpsRedirectOnly(ServiceConfig service, ServiceRules rules) {
        if (rules.httpsRedirect() == null) {
            throw new IllegalArgumentException("service " + service.name() + " has no HTTPS redirect");
        }
        return new Location(service, rules);
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
        return config == null ? LocationConfig.DEFAULT_PATH : config.path();
    }

    /** Turns the client's request target into the backend's. */
    public UrlRewriter rewriter() {
        return rewriter;
    }

    /** When non-null, the transport answers a redirect to this target instead of proxying (see {@link #redirectRule()}). */
    public String redirect() {
        return config == null ? null : config.redirect();
    }

    public ServerPool pool() {
        return pool;
    }

    /** The service's header rules, middleware and HTTPS redirect. */
    public ServiceRules rules() {
        return rules;
    }

    /** The location's redirect with its status, or null when requests are proxied. */
    public LocationRedirect redirectRule() {
        return redirectRule;
    }

    /** Turns a backend's redirect to itself into one to the client's origin under this location. */
    public BackendRedirectRewriter backendRedirects() {
        return backendRedirects;
    }

    public LocationConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Location{" + serviceName + ':' + port + ' ' + path() + '}';
    }
}
