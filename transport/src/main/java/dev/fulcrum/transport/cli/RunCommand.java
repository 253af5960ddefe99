package dev.fulcrum.transport.cli;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.ControlConfig;
import dev.fulcrum.core.config.ControlConfigLoader;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.transport.admin.ConfigSource;
import dev.fulcrum.transport.admin.ControlRuntime;
import dev.fulcrum.transport.io.TransportUnavailableException;
import dev.fulcrum.transport.server.JitWarmup;
import dev.fulcrum.transport.server.ProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code fulcrum run}: serves until SIGTERM or SIGINT, then drains and exits 0.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the proxy cannot start (port taken, transport missing), 2 for bad
 * configuration or arguments.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the proxy until SIGTERM or SIGINT, then drain in-flight requests and exit 0.",
                "Either --config FILE, or --port with one or more --backend URLs."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    public static final int EXIT_OK = 0;
    public static final int EXIT_START_FAILED = 1;
    public static final int EXIT_BAD_CONFIG = 2;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration (terraster schema plus Fulcrum keys).")
    Path configFile;

    @Option(names = "--api-config", paramLabel = "FILE", description = "terraster's separate admin file (api, auth); the admin API may also be configured in --config.")
    Path apiConfigFile;

    @Option(names = "--transport", paramLabel = "T", description = "auto (default), io_uring, epoll or nio; overrides the config.")
    String transport;

    @Option(names = "--port", paramLabel = "P", description = "Listen port when no --config is given.")
    Integer port;

    @Option(names = "--backend", paramLabel = "URL", description = "Backend URL when no --config is given; repeat for more.")
    List<String> backends;

    @Option(names = "--algorithm", paramLabel = "A", description = "Load-balancing algorithm when no --config is given (default round-robin).")
    String algorithm;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event-loop threads (default: number of cores); overrides the config.")
    Integer ioThreads;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest JIT warm-up on loopback before the listeners open; ends early once the compiler "
                    + "settles; 0 = none (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        final FulcrumConfig config;
        final ControlConfig control;
        try {
            config = resolveConfig();
            control = configFile == null && apiConfigFile == null ? ControlConfig.DEFAULTS
                    : ControlConfigLoader.load(configFile, apiConfigFile);
        } catch (ConfigException e) {
            err.println("fulcrum: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (IllegalArgumentException e) {
            err.println("fulcrum: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        final String taken = firstTakenPort(config);
        if (taken != null) {
            // Checked before the warm-up so that a port conflict fails at once, not after seconds of warming.
            err.println("fulcrum: cannot start: " + taken);
            return EXIT_START_FAILED;
        }
        final ProxyServer server;
        try {
            JitWarmup.run(config, TimeUnit.SECONDS.toMillis(Math.max(0, warmupSeconds)));
            server = ProxyServer.start(config);
        } catch (TransportUnavailableException e) {
            err.println("fulcrum: " + e.getMessage());
            return EXIT_START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_START_FAILED;
        } catch (Exception e) {
            err.println("fulcrum: cannot start: " + describe(e));
            return EXIT_START_FAILED;
        }
        final ControlRuntime runtime;
        try {
            runtime = ControlRuntime.start(server, control,
                    configFile == null ? null : new ConfigSource(configFile, apiConfigFile, this::override));
        } catch (Exception e) {
            err.println("fulcrum: cannot start the admin API: " + describe(e));
            server.drainAndStop(0);
            return EXIT_START_FAILED;
        }
        if (runtime.reloader() != null) {
            StopSignals.onHup(() -> runtime.reloader().reload("SIGHUP"));
        }
        for (String warning : control.warnings()) {
            LOG.warn("config: {}", warning);
        }
        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        spec.commandLine().getOut().println(server.readyLine()
                + (runtime.admin() == null ? "" : "; admin API on " + runtime.admin().address().getHostString() + ':'
                + runtime.admin().address().getPort() + (runtime.admin().tls() ? " (TLS)" : "")));
        spec.commandLine().getOut().flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stop signal: draining for up to {} ms", config.timeouts().drainTimeoutMillis());
        runtime.close();
        final int abandoned = server.drainAndStop(config.timeouts().drainTimeoutMillis());
        LOG.info("stopped ({} requests cut at the drain deadline)", abandoned);
        return EXIT_OK;
    }

    private FulcrumConfig resolveConfig() throws ConfigException {
        if (configFile != null) {
            if (port != null || backends != null || algorithm != null) {
                throw new IllegalArgumentException("--config cannot be combined with --port, --backend or --algorithm");
            }
            final FulcrumConfig loaded = ConfigLoader.load(configFile);
            return override(loaded);
        }
        if (port == null || backends == null || backends.isEmpty()) {
            throw new IllegalArgumentException("give --config FILE, or --port P with at least one --backend URL (see run --help)");
        }
        return FulcrumConfig.forBackends(port, backends, algorithm, ioThreads == null ? 0 : ioThreads, transport);
    }

    private FulcrumConfig override(FulcrumConfig c) {
        final String t = transport == null ? c.transport() : transport;
        final int threads = ioThreads == null ? c.ioThreads() : ioThreads;
        if (FulcrumConfig.normaliseTransport(t) == null) {
            throw new IllegalArgumentException("--transport \"" + t + "\" (expected: auto, io_uring, epoll or nio)");
        }
        return new FulcrumConfig(t, threads, c.services(), c.timeouts(), c.limits(), c.retries(), c.proxyHeaders(),
                c.connectionPool(), c.warnings(), c.bindHost());
    }

    /** A description of the first listen address that cannot be bound now, or null when all can. */
    private static String firstTakenPort(FulcrumConfig config) {
        for (ServiceConfig service : config.services()) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(config.bindHost(), service.port()));
            } catch (IOException e) {
                return config.bindHost() + ":" + service.port() + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof BindException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunCommand()).execute(args));
    }
}
