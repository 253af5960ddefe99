package dev.fulcrum.core.config;

import java.util.List;
import java.util.Objects;

/**
 * One virtual host on one listener port, with its locations.
 *
 * <p>Immutable.
 *
 * @param name      unique service name (the configured name, else the host, else "default")
 * @param host      lower-cased host name, {@code *.suffix} wildcard, or null for the port's default service
 *                  (configured as absent or {@code "*"})
 * @param port      listener port, 1..65535; a service without {@code port} gets the top-level {@code port}
 * @param locations the service's locations, in configured order (may be empty: every request then gets 404)
 * @param line      line of the service in the config file, 0 when it was not read from a file
 * @param options   HTTPS redirect, header rules and middleware ({@link ServiceOptions#NONE} for none)
 */
public record ServiceConfig(String name, String host, int port, List<LocationConfig> locations, int line,
                            ServiceOptions options) {

    /** A service that only routes to its locations. */
    public ServiceConfig(String name, String host, int port, List<LocationConfig> locations, int line) {
        this(name, host, port, locations, line, ServiceOptions.NONE);
    }

    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (host != null && (host.isEmpty() || host.equals("*"))) {
            host = null;
        }
        locations = List.copyOf(locations);
        Objects.requireNonNull(options, "options");
    }

    /** True for the service that takes requests whose Host matches no other service on the port. */
    public boolean isDefaultHost() {
        return host == null;
    }

    /** True for {@code *.example.com} services. */
    public boolean isWildcardHost() {
        return host != null && host.startsWith("*.");
    }
}
