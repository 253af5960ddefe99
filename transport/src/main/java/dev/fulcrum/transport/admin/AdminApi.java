package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.algorithms.select.SelectorFactory;
import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.AuthConfig;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.HealthCheckConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.metrics.ProxyMetrics;
import dev.fulcrum.transport.metrics.RequestMetrics;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.server.ProxyServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoints: the seed's ServerPool operations (AddBackend, RemoveBackend, UpdateBackends, SetAlgorithm,
 * UpdateConfig, MarkBackendStatus) and read-only views of routing, health and stats. Described in
 * {@code docs/admin-api.yaml} (OpenAPI 3).
 *
 * <p>Control thread only: it reads and changes the pools as their single writer. Every change is published as a new
 * snapshot (or a volatile selector swap) that request threads pick up on their next request, without a lock.
 */
final class AdminApi {
    /** The config loader's bound: keeps weight sums of 1024 backends below 2^31. */
    private static final int MAX_WEIGHT = 1_000_000;
    /** A backend's {@code source}: listed in the config file, or added through this API (a reload drops it). */
    private static final String SOURCE_CONFIG = "config";
    private static final String SOURCE_API = "api";

    private final ProxyServer server;
    private final ProxyContext context;
    private final Reloader reloader;

    AdminApi(ProxyServer server, Reloader reloader) {
        this.server = server;
        this.context = server.context();
        this.reloader = reloader;
    }

    /** Routes one authenticated request. Query parameters are decoded; {@code body} is null when empty. */
    AdminResponse handle(String method, String path, Map<String, String> query, JsonNode body,
                         AdminAuth.Principal principal) {
        switch (path) {
            case "/api/services":
                requireMethod(method, "GET");
                return AdminResponse.json(200, services(query.get("service_name")));
            case "/api/locations":
                requireMethod(method, "GET");
                return AdminResponse.json(200, locations(query));
            case "/api/backends":
                return backends(method, query, body, principal);
            case "/api/backends/drain":
            case "/api/backends/undrain":
                requireMethod(method, "POST");
                requireAdmin(principal);
                return drain(query, body, path.endsWith("/drain"));
            case "/api/config":
                return locationConfig(method, query, body, principal);
            case "/api/health":
                requireMethod(method, "GET");
                return AdminResponse.json(200, health());
            case "/api/stats":
                requireMethod(method, "GET");
                return AdminResponse.json(200, stats());
            case "/api/reload":
                requireMethod(method, "POST");
                requireAdmin(principal);
                return reload();
            case "/metrics":
                requireMethod(method, "GET");
                final ProxyMetrics metrics = context.metrics();
                return AdminResponse.raw(metrics.scrapeText(), metrics.contentType());
            default:
                throw new AdminException(404, "no such endpoint: " + path);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new AdminException(405, "method " + method + " not allowed (expected: " + expected + ")");
        }
    }

    private static void requireAdmin(AdminAuth.Principal principal) {
        if (!principal.role().allows(AuthConfig.Role.ADMIN)) {
            throw new AdminException(403, "forbidden: needs role admin");
        }
    }

    // ------------------------------------------------------------------------------------------------- views

    private List<Object> services(String onlyService) {
        final Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Location location : context.routing().locations()) {
            if (onlyService != null && !onlyService.equals(location.serviceName())) {
                continue;
            }
            final Map<String, Object> service = byName.computeIfAbsent(location.serviceName(), name -> {
                final Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", name);
                s.put("host", location.serviceHost());
                s.put("port", location.port());
                s.put("locations", new ArrayList<>());
                return s;
            });
            @SuppressWarnings("unchecked")
            final List<Object> locations = (List<Object>) service.get("locations");
            locations.add(locationView(location, true));
        }
        if (onlyService != null && byName.isEmpty()) {
            throw new AdminException(404, "service not found: " + onlyService);
        }
        return new ArrayList<>(byName.values());
    }

    private List<Object> locations(Map<String, String> query) {
        final String service = query.get("service_name");
        final List<Object> out = new ArrayList<>();
        for (Location location : context.routing().locations()) {
            if (service == null || service.equals(location.serviceName())) {
                out.add(locationView(location, false));
            }
        }
        if (service != null && out.isEmpty()) {
            throw new AdminException(404, "service not found: " + service);
        }
        return out;
    }

    private Map<String, Object> locationView(Location location, boolean withBackends) {
        final ServerPool pool = location.pool();
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", location.serviceName());
        view.put("path", location.path());
        view.put("algorithm", pool.algorithm());
        view.put("backends_count", pool.snapshot().size());
        if (location.redirect() != null) {
            view.put("redirect", location.redirect());
        }
        if (withBackends) {
            view.put("backends", backendViews(location));
        }
        return view;
    }

    private List<Object> backendViews(Location location) {
        final ServerPool pool = location.pool();
        final BackendSnapshot snapshot = pool.snapshot();
        final List<Object> out = new ArrayList<>(snapshot.size());
        for (int i = 0; i < snapshot.size(); i++) {
            out.add(backendView(location, snapshot, i));
        }
        return out;
    }

    private Map<String, Object> backendView(Location location, BackendSnapshot snapshot, int i) {
        final ServerPool pool = location.pool();
        final BackendState state = snapshot.state(i);
        final BackendConfig config = pool.backendConfigByUrl(state.address().url());
        final RequestMetrics metrics = context.metrics().forBackend(state);
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", state.id());
        view.put("url", state.address().url());
        view.put("weight", config == null ? snapshot.weight(i) : config.weight());
        view.put("max_connections", snapshot.maxInFlight(i));
        view.put("alive", state.isAliveOpaque());
        view.put("drained", pool.isDrained(state.address().url()));
        view.put("in_flight", state.inFlightOpaque());
        view.put("latency_ewma_ms", state.latencyEwmaNanosOpaque() / 1e6);
        view.put("requests", state.requestsOpaque());
        view.put("failures", state.failuresOpaque());
        final Map<String, Long> responses = new LinkedHashMap<>();
        long errors = 0;
        for (int cls = 1; cls <= 5; cls++) {
            responses.put(cls + "xx", metrics.responses(cls));
        }
        errors += metrics.responses(5);
        view.put("responses", responses);
        view.put("errors", errors + state.failuresOpaque());
        view.put("retries", metrics.retries());
        view.put("source", config == null || inFile(location, config) ? SOURCE_CONFIG : SOURCE_API);
        return view;
    }

    /** True when the location's config file entry lists this backend (same scheme, host and port). */
    private static boolean inFile(Location location, BackendConfig backend) {
        for (BackendConfig listed : location.config().backends()) {
            if (listed.key().equals(backend.key())) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> health() {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (Location location : context.routing().locations()) {
            @SuppressWarnings("unchecked")
            final Map<String, Object> service =
                    (Map<String, Object>) out.computeIfAbsent(location.serviceName(), k -> new LinkedHashMap<>());
            final Map<String, Object> backends = new LinkedHashMap<>();
            final BackendSnapshot snapshot = location.pool().snapshot();
            for (int i = 0; i < snapshot.size(); i++) {
                final BackendState state = snapshot.state(i);
                final Map<String, Object> b = new LinkedHashMap<>();
                b.put("alive", state.isAliveOpaque());
                b.put("drained", snapshot.weight(i) == 0);
                b.put("in_flight", state.inFlightOpaque());
                backends.put(state.address().url(), b);
            }
            service.put(location.path(), backends);
        }
        return out;
    }

    private Map<String, Object> stats() {
        final Map<String, Object> out = new LinkedHashMap<>();
        long totalRequests = 0;
        long totalInFlight = 0;
        final List<Object> locations = new ArrayList<>();
        for (Location location : context.routing().locations()) {
            final BackendSnapshot snapshot = location.pool().snapshot();
            int eligible = 0;
            long inFlight = 0;
            long requests = 0;
            long failures = 0;
            for (int i = 0; i < snapshot.size(); i++) {
                final BackendState state = snapshot.state(i);
                if (snapshot.weight(i) > 0 && state.isAliveOpaque()) {
                    eligible++;
                }
                inFlight += state.inFlightOpaque();
                requests += state.requestsOpaque();
                failures += state.failuresOpaque();
            }
            final Map<String, Object> l = new LinkedHashMap<>();
            l.put("service", location.serviceName());
            l.put("path", location.path());
            l.put("algorithm", location.pool().algorithm());
            l.put("total_backends", snapshot.size());
            l.put("active_backends", eligible);
            l.put("in_flight", inFlight);
            l.put("requests", requests);
            l.put("failures", failures);
            locations.add(l);
            totalRequests += requests;
            totalInFlight += inFlight;
        }
        out.put("locations", locations);
        out.put("requests", totalRequests);
        out.put("in_flight", totalInFlight);
        out.put("client_connections", context.clientChannels().size());
        return out;
    }

    // ---------------------------------------------------------------------------------------------- changes

    /** The location named by {@code service_name} and {@code path}; either may be left out when unambiguous. */
    private Location resolve(Map<String, String> query) {
        final String service = query.get("service_name");
        final String path = query.get("path");
        final RoutingTable routing = context.routing();
        Location found = null;
        int candidates = 0;
        boolean serviceSeen = false;
        for (Location location : routing.locations()) {
            if (service != null && !service.equals(location.serviceName())) {
                continue;
            }
            serviceSeen = true;
            if (path != null && !path.equals(location.path())) {
                continue;
            }
            candidates++;
            found = location;
        }
        if (service != null && !serviceSeen) {
            throw new AdminException(404, "service not found: " + service);
        }
        if (candidates == 0) {
            throw new AdminException(404, "location not found: " + path);
        }
        if (candidates > 1) {
            throw new AdminException(400, service == null
                    ? "several locations match: give service_name and path"
                    : "service " + service + " has several locations: give path");
        }
        return found;
    }

    private AdminResponse backends(String method, Map<String, String> query, JsonNode body,
                                   AdminAuth.Principal principal) {
        final Location location = resolve(query);
        final ServerPool pool = location.pool();
        switch (method) {
            case "GET":
                return AdminResponse.json(200, backendViews(location));
            case "POST": {
                requireAdmin(principal);
                final BackendConfig backend = backendFrom(body, null);
                if (pool.backendConfigByUrl(backend.url()) != null) {
                    throw new AdminException(409, "backend already in this location: " + backend.url());
                }
                // Checked before traffic: out of rotation from the start, until its first probe passes.
                final HealthCheckConfig check = context.resilience().healthCheck(location.serviceName(),
                        location.path(), backend.key());
                pool.addBackend(backend, !(check.enabled() && check.checkBeforeTraffic()));
                // Its health probe and circuit breaker start now, not at the next reload.
                server.backendsChanged();
                return AdminResponse.json(201, viewOf(location, backend.url()));
            }
            case "PUT": {
                requireAdmin(principal);
                final String url = text(body, "url", true);
                final BackendConfig existing = pool.backendConfigByUrl(url);
                if (existing == null) {
                    throw new AdminException(404, "backend not found: " + url);
                }
                final BackendConfig updated = backendFrom(body, existing);
                final List<BackendConfig> list = new ArrayList<>(pool.backends());
                list.replaceAll(b -> b.key().equals(existing.key()) ? updated : b);
                pool.updateBackends(list);
                return AdminResponse.json(200, viewOf(location, url));
            }
            case "DELETE": {
                requireAdmin(principal);
                final String url = body != null && body.hasNonNull("url") ? text(body, "url", true) : query.get("url");
                if (url == null) {
                    throw new AdminException(400, "url is required (JSON body {\"url\":...} or ?url=)");
                }
                if (!pool.removeBackend(url)) {
                    throw new AdminException(404, "backend not found: " + url);
                }
                server.backendsChanged(); // its probe stops, its breaker goes
                return AdminResponse.empty(204);
            }
            default:
                throw new AdminException(405, "method " + method + " not allowed (expected: GET, POST, PUT, DELETE)");
        }
    }

    private Map<String, Object> viewOf(Location location, String url) {
        final BackendSnapshot snapshot = location.pool().snapshot();
        final BackendState state = location.pool().backendByUrl(url);
        return backendView(location, snapshot, snapshot.indexOf(state.id()));
    }

    /** A backend from a JSON body; fields absent take {@code base}'s values (or the defaults when adding). */
    private static BackendConfig backendFrom(JsonNode body, BackendConfig base) {
        if (body == null || !body.isObject()) {
            throw new AdminException(400, "expected a JSON object body");
        }
        final String url = text(body, "url", true);
        final BackendAddress address;
        try {
            address = BackendAddress.parse(url);
        } catch (IllegalArgumentException e) {
            throw new AdminException(400, "url: " + e.getMessage());
        }
        final int weight = integer(body, "weight", base == null ? BackendConfig.DEFAULT_WEIGHT : base.weight(), 0);
        if (weight > MAX_WEIGHT) {
            throw new AdminException(400, "weight: expected an integer 0.." + MAX_WEIGHT);
        }
        final int maxConnections = integer(body, body.has("maxConnections") ? "maxConnections" : "max_connections",
                base == null ? BackendConfig.DEFAULT_MAX_CONNECTIONS : base.maxConnections(), 1);
        return base == null ? new BackendConfig(address, weight, maxConnections)
                : new BackendConfig(base.address(), weight, maxConnections, base.tls(),
                        base.protocol());
    }

    private AdminResponse drain(Map<String, String> query, JsonNode body, boolean drain) {
        final Location location = resolve(query);
        final String url = body != null && body.hasNonNull("url") ? text(body, "url", true) : query.get("url");
        if (url == null) {
            throw new AdminException(400, "url is required");
        }
        if (!location.pool().setDrained(url, drain)) {
            throw new AdminException(404, "backend not found: " + url);
        }
        return AdminResponse.json(200, viewOf(location, url));
    }

    private AdminResponse locationConfig(String method, Map<String, String> query, JsonNode body,
                                         AdminAuth.Principal principal) {
        final Location location = resolve(query);
        final ServerPool pool = location.pool();
        if (method.equals("PUT")) {
            requireAdmin(principal);
            if (body == null || !body.isObject()) {
                throw new AdminException(400, "expected a JSON object body");
            }
            final String algorithm = body.hasNonNull("algorithm") ? text(body, "algorithm", true) : null;
            final int maxConnections = integer(body, "max_connections", 0, 0);
            if (algorithm != null) {
                try {
                    SelectorFactory.create(algorithm);
                } catch (IllegalArgumentException e) {
                    throw new AdminException(400, "algorithm: " + e.getMessage());
                }
            }
            // Validated both before changing either: the update is all or nothing.
            if (algorithm != null) {
                pool.setAlgorithm(algorithm);
            }
            if (maxConnections > 0) {
                final List<BackendConfig> list = new ArrayList<>();
                for (BackendConfig b : pool.backends()) {
                    list.add(new BackendConfig(b.address(), b.weight(), maxConnections, b.tls(), b.protocol()));
                }
                pool.updateBackends(list);
            }
        } else if (!method.equals("GET")) {
            throw new AdminException(405, "method " + method + " not allowed (expected: GET, PUT)");
        }
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", location.serviceName());
        view.put("path", location.path());
        view.put("algorithm", pool.algorithm());
        int max = 0;
        for (BackendConfig b : pool.backends()) {
            max = Math.max(max, b.maxConnections());
        }
        view.put("max_connections", max);
        return AdminResponse.json(200, view);
    }

    private AdminResponse reload() {
        if (reloader == null) {
            throw new AdminException(400, "started from command-line arguments: there is no config file to reload");
        }
        final Reloader.Result result = reloader.reloadNow("api");
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("applied", result.applied());
        view.put("generation", result.generation());
        if (result.error() != null) {
            view.put("error", result.error());
        }
        view.put("restart_required", result.restartRequired());
        view.put("warnings", result.warnings());
        return AdminResponse.json(result.applied() ? 200 : 422, view);
    }

    static String text(JsonNode body, String field, boolean required) {
        final JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new AdminException(400, field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new AdminException(400, field + ": expected a non-empty string");
        }
        return node.asText().trim();
    }

    private static int integer(JsonNode body, String field, int defaultValue, int min) {
        final JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min) {
            throw new AdminException(400, field + ": expected an integer >= " + min);
        }
        return node.asInt();
    }
}
