package dev.fulcrum.core.route;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.LocationConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.rules.ServiceRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every listener port with its virtual hosts, and every location with its backend pool.
 *
 * <p>Immutable after {@link #build}, apart from the pools' published state; safe to share between event loops.
 * Built on the control thread. Each location gets a fresh {@link ServerPool} (and so a fresh selector).
 */
public final class RoutingTable {
    private final int[] ports;
    private final VirtualHosts[] hostsByPortIndex;
    private final List<Location> locations;

    private RoutingTable(int[] ports, VirtualHosts[] hostsByPortIndex, List<Location> locations) {
        this.ports = ports;
        this.hostsByPortIndex = hostsByPortIndex;
        this.locations = locations;
    }

    /**
     * @throws IllegalArgumentException when two services share a host and port (ConfigLoader reports this with a
     *                                  line first; this guards configs built in code)
     */
    public static RoutingTable build(FulcrumConfig config) {
        return build(config, null);
    }

    /**
     * A table for a reloaded config: a location with the same service name and path as one of {@code previous}
     * gets a new pool that adopts the live state of the backends it keeps (in-flight counts, health, counters,
     * drained flags). {@code previous} keeps serving unchanged until the caller swaps tables. Control thread only.
     */
    public static RoutingTable build(FulcrumConfig config, RoutingTable previous) {
        final Map<Integer, List<VirtualHosts.ServiceRoutesEntry>> byPort = new TreeMap<>();
        final List<Location> all = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            final List<Location> serviceLocations = new ArrayList<>(service.locations().size());
            final ServiceRules rules = ServiceRules.of(service);
            if (rules.httpsRedirect() != null) {
                // Answers everything with a redirect: its locations (if any) are never used, so get no pools.
                serviceLocations.add(Location.httpsRedirectOnly(service, rules));
            } else {
                for (LocationConfig locationConfig : service.locations()) {
                    final Location before = previous == null ? null
                            : previous.find(service.name(), locationConfig.path());
                    final ServerPool pool = before == null || before.pool() == null ? ServerPool.of(locationConfig)
                            : ServerPool.of(locationConfig, before.pool());
                    serviceLocations.add(new Location(service, locationConfig, pool, rules));
                }
                all.addAll(serviceLocations);
            }
            final String host = service.host() == null ? null : service.host().toLowerCase(Locale.ROOT);
            byPort.computeIfAbsent(service.port(), p -> new ArrayList<>())
                    .add(new VirtualHosts.ServiceRoutesEntry(host, new ServiceRoutes(serviceLocations, rules)));
        }
        final int[] ports = new int[byPort.size()];
        final VirtualHosts[] tables = new VirtualHosts[byPort.size()];
        int i = 0;
        for (Map.Entry<Integer, List<VirtualHosts.ServiceRoutesEntry>> e : byPort.entrySet()) {
            ports[i] = e.getKey();
            tables[i] = VirtualHosts.of(e.getKey(), e.getValue());
            i++;
        }
        return new RoutingTable(ports, tables, Collections.unmodifiableList(all));
    }

    /** The listener ports, ascending. */
    public Set<Integer> ports() {
        final Set<Integer> set = new TreeSet<>();
        for (int port : ports) {
            set.add(port);
        }
        return Collections.unmodifiableSet(set);
    }

    /** The virtual hosts of a listener port, or null when no service listens there. */
    public VirtualHosts forPort(int port) {
        final int index = Arrays.binarySearch(ports, port);
        return index < 0 ? null : hostsByPortIndex[index];
    }

    /** Every location, in configured order (services, then their locations). */
    public List<Location> locations() {
        return locations;
    }

    /** Every location's pool, in the order of {@link #locations()}. */
    public List<ServerPool> allPools() {
        final List<ServerPool> pools = new ArrayList<>(locations.size());
        for (Location location : locations) {
            pools.add(location.pool());
        }
        return pools;
    }

    /** The location with this service name and exact path, or null; for the admin API. */
    public Location find(String serviceName, String path) {
        for (Location location : locations) {
            if (location.serviceName().equals(serviceName) && location.path().equals(path)) {
                return location;
            }
        }
        return null;
    }
}
