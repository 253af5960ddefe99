package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The whole validated configuration of one Fulcrum process.
 *
 * <p>Immutable. Built by {@link ConfigLoader} from YAML or by {@link #forBackends} from the command line.
 *
 * @param transport      "auto", "io_uring", "epoll" or "nio"
 * @param ioThreads      event loop threads; 0 means one per available core (see {@link #effectiveIoThreads()})
 * @param services       every service, in configured order; at least one
 * @param timeouts       per-phase timeouts
 * @param limits         request size limits
 * @param retries        how many times a failed exchange may be retried on another backend
 * @param proxyHeaders   forwarding headers added and identifying headers stripped
 * @param connectionPool upstream keep-alive pooling
 * @param warnings       config keys accepted but not acted on, each as {@code file:line key.path: why}
 * @param bindHost       address the listeners bind to
 * @param resilience     active health checks and other resilience policy
 */
public record FulcrumConfig(String transport, int ioThreads, List<ServiceConfig> services, TimeoutsConfig timeouts,
                            LimitsConfig limits, int retries, ProxyHeadersConfig proxyHeaders,
                            ConnectionPoolConfig connectionPool, List<String> warnings, String bindHost,
                            ResilienceConfig resilience) {

    public static final String TRANSPORT_AUTO = "auto";
    public static final String TRANSPORT_IO_URING = "io_uring";
    public static final String TRANSPORT_EPOLL = "epoll";
    public static final String TRANSPORT_NIO = "nio";
    /** Picks the fastest transport the kernel offers (io_uring, then epoll, then NIO). */
    public static final String DEFAULT_TRANSPORT = TRANSPORT_AUTO;
    /** 0 asks for one event loop per core: the usual Netty sizing for a proxy that never blocks. */
    public static final int DEFAULT_IO_THREADS = 0;
    /** All interfaces, as terraster listened; put Fulcrum behind a firewall or set {@code bind}. */
    public static final String DEFAULT_BIND_HOST = "0.0.0.0";
    /** terraster's synthetic default service listened on 8080. */
    public static final int DEFAULT_PORT = 8080;
    /**
     * Two retries reach a third backend: enough to ride out one bad backend plus one stale pooled connection,
     * few enough that an outage does not triple the load on the survivors.
     */
    public static final int DEFAULT_RETRIES = 2;
    /** Name of the service made from top-level {@code backends} or from the command line. */
    public static final String DEFAULT_SERVICE_NAME = "default";

    public FulcrumConfig {
        final String canonicalTransport = normaliseTransport(Objects.requireNonNull(transport, "transport"));
        if (canonicalTransport == null) {
            throw new IllegalArgumentException("unknown transport: " + transport);
        }
        transport = canonicalTransport;
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must not be negative: " + ioThreads);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        services = List.copyOf(services);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(proxyHeaders, "proxyHeaders");
        Objects.requireNonNull(connectionPool, "connectionPool");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(resilience, "resilience");
    }

    /** A configuration without resilience policy (no active health checks). */
    public FulcrumConfig(String transport, int ioThreads, List<ServiceConfig> services, TimeoutsConfig timeouts,
                         LimitsConfig limits, int retries, ProxyHeadersConfig proxyHeaders,
                         ConnectionPoolConfig connectionPool, List<String> warnings, String bindHost) {
        this(transport, ioThreads, services, timeouts, limits, retries, proxyHeaders, connectionPool, warnings,
                bindHost, ResilienceConfig.DEFAULTS);
    }

    /**
     * The configuration the CLI's {@code run --port P --backend URL...} means: one service "default" on
     * {@code port} matching any host, one location "/" with the given backends, every other setting default.
     *
     * @param algorithm name or alias; null for the default algorithm
     * @param transport "auto", "io_uring" (or "iouring", "io-uring"), "epoll" or "nio"; null for auto
     * @throws IllegalArgumentException naming the bad argument (URL, algorithm, port, transport)
     */
    public static FulcrumConfig forBackends(int port, List<String> backendUrls, String algorithm, int ioThreads,
                                            String transport) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " (expected: 1..65535)");
        }
        if (backendUrls == null || backendUrls.isEmpty()) {
            throw new IllegalArgumentException("no --backend given (expected: at least one http or https URL)");
        }
        final String canonicalTransport = normaliseTransport(transport == null ? DEFAULT_TRANSPORT : transport);
        if (canonicalTransport == null) {
            throw new IllegalArgumentException("--transport \"" + transport
                    + "\" (expected: auto, io_uring, epoll or nio)");
        }
        final String canonicalAlgorithm;
        try {
            canonicalAlgorithm = algorithm == null ? SelectorFactory.DEFAULT_ALGORITHM : Algorithms.canonical(algorithm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--algorithm " + e.getMessage(), e);
        }
        final List<BackendConfig> backends = new ArrayList<>(backendUrls.size());
        final List<String> keys = new ArrayList<>(backendUrls.size());
        for (String url : backendUrls) {
            final BackendConfig backend;
            try {
                backend = BackendConfig.of(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--backend \"" + url + "\" (" + e.getMessage() + ")", e);
            }
            if (keys.contains(backend.key())) {
                throw new IllegalArgumentException("--backend \"" + url + "\" given twice");
            }
            keys.add(backend.key());
            backends.add(backend);
        }
        final LocationConfig location =
                new LocationConfig(LocationConfig.DEFAULT_PATH, null, null, canonicalAlgorithm, backends);
        final ServiceConfig service = new ServiceConfig(DEFAULT_SERVICE_NAME, null, port, List.of(location), 0);
        return new FulcrumConfig(canonicalTransport, ioThreads, List.of(service), TimeoutsConfig.DEFAULTS,
                LimitsConfig.DEFAULTS, DEFAULT_RETRIES, ProxyHeadersConfig.DEFAULTS, ConnectionPoolConfig.DEFAULTS,
                List.of(), DEFAULT_BIND_HOST);
    }

    /**
     * The canonical transport name for a configured one (case-insensitive; "iouring" and "io-uring" mean
     * io_uring), or null when unknown.
     */
    public static String normaliseTransport(String configured) {
        switch (configured.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return TRANSPORT_AUTO;
            case "io_uring":
            case "iouring":
            case "io-uring":
                return TRANSPORT_IO_URING;
            case "epoll":
                return TRANSPORT_EPOLL;
            case "nio":
                return TRANSPORT_NIO;
            default:
                return null;
        }
    }

    /** {@link #ioThreads()}, with 0 resolved to the number of available processors. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
