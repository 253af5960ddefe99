package dev.fulcrum.bench.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fulcrum.bench.demo.Demo;
import dev.fulcrum.bench.demo.DemoOrigin;
import dev.fulcrum.bench.loadgen.LoadResult;
import dev.fulcrum.bench.loadgen.LoadRun;
import dev.fulcrum.bench.loadgen.LoadgenOptions;
import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.Durations;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.transport.server.ProxyServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario once per algorithm: fresh origins seeded alike, the real proxy configured with the algorithm, the
 * same load, the scenario's timed events; returns one {@link AlgorithmRun} each.
 *
 * <p>Called on one thread; everything it starts it stops before returning.
 */
public final class ScenarioRunner {
    private static final String HOST = Demo.BIND_HOST;
    private static final long PROXY_DRAIN_MILLIS = 500;
    /** One proxy loop by default: on a small box the origins and the load need the other core. */
    private static final int DEFAULT_PROXY_IO_THREADS = 1;

    private ScenarioRunner() {
    }

    /** Origin names as the scenario's events and reports see them: {@code name}, or {@code name1..nameN}. */
    static List<String> expandedNames(ScenarioSpec.OriginSpec origin) {
        final int count = origin.countOrOne();
        if (count == 1) {
            return List.of(origin.name());
        }
        final List<String> names = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            names.add(origin.name() + i);
        }
        return names;
    }

    public static List<AlgorithmRun> run(ScenarioSpec spec, PrintWriter progress) throws Exception {
        final List<AlgorithmRun> runs = new ArrayList<>();
        for (String algorithm : spec.algorithms()) {
            if (spec.variants().isEmpty()) {
                say(progress, "scenario " + spec.name() + ": " + algorithm);
                runs.add(runOne(spec, algorithm, null, progress));
            }
            for (ScenarioSpec.VariantSpec variant : spec.variants()) {
                say(progress, "scenario " + spec.name() + ": " + algorithm + " (" + variant.name() + ")");
                runs.add(runOne(spec, algorithm, variant, progress));
            }
        }
        return runs;
    }

    static AlgorithmRun runOne(ScenarioSpec spec, String algorithm, ScenarioSpec.VariantSpec variant,
                               PrintWriter progress) throws Exception {
        final EventLoopGroup originGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "scenario-events");
            t.setDaemon(true);
            return t;
        });
        ProxyServer proxy = null;
        final Map<String, DemoOrigin> origins = new LinkedHashMap<>();
        try {
            long seed = spec.seed();
            for (ScenarioSpec.OriginSpec o : spec.origins()) {
                for (String name : expandedNames(o)) {
                    final DemoOrigin origin = new DemoOrigin(name, o.latency().profile(),
                            o.errorRate() == null ? 0 : o.errorRate(), o.capacity() == null ? 0 : o.capacity(),
                            seed++);
                    origins.put(name, origin.start(originGroup));
                }
            }
            proxy = ProxyServer.start(proxyConfig(spec, algorithm, variant, origins));
            final LoadgenOptions options = loadOptions(spec, proxy.addresses().get(0).getPort());
            final long[] servedAtStart = new long[origins.size()];
            events.schedule(() -> snapshot(origins, servedAtStart), options.warmupNanos(), TimeUnit.NANOSECONDS);
            for (ScenarioSpec.EventSpec event : spec.events()) {
                final DemoOrigin target = origins.get(event.origin());
                events.schedule(() -> apply(event, target, progress), options.warmupNanos() + event.atNanos(),
                        TimeUnit.NANOSECONDS);
            }
            final LoadResult load = LoadRun.run(options, progress, null, null);
            final Map<String, Long> served = new LinkedHashMap<>();
            int i = 0;
            for (DemoOrigin origin : origins.values()) {
                served.put(origin.name(), origin.served() - servedAtStart[i++]);
            }
            return new AlgorithmRun(algorithm, load, served, proxy.transport().configName(),
                    variant == null ? null : variant.name());
        } finally {
            events.shutdownNow();
            events.awaitTermination(5, TimeUnit.SECONDS);
            if (proxy != null) {
                proxy.drainAndStop(PROXY_DRAIN_MILLIS);
            }
            for (DemoOrigin origin : origins.values()) {
                origin.kill();
            }
            originGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void snapshot(Map<String, DemoOrigin> origins, long[] into) {
        int i = 0;
        for (DemoOrigin origin : origins.values()) {
            into[i++] = origin.served();
        }
    }

    private static void apply(ScenarioSpec.EventSpec event, DemoOrigin origin, PrintWriter progress) {
        say(progress, "event " + event.at() + ": " + event.action() + " " + event.origin()
                + (event.factor() == null ? "" : " x" + event.factor()));
        try {
            switch (event.action()) {
                case "slow_down":
                    origin.slowDown(event.factor());
                    break;
                case "fail":
                    origin.fail();
                    break;
                case "recover":
                    origin.recover();
                    break;
                case "kill":
                    origin.kill();
                    break;
                default:
                    origin.restart();
                    break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The proxy's configuration as YAML text, parsed by the real {@link ConfigLoader}: loopback, one location with
     * every origin (weight and max_connections from the scenario), the algorithm, then the scenario's own proxy keys,
     * then the variant's (null for none).
     */
    static FulcrumConfig proxyConfig(ScenarioSpec spec, String algorithm, ScenarioSpec.VariantSpec variant,
                                     Map<String, DemoOrigin> origins)
            throws ConfigException, JsonProcessingException {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("bind", HOST);
        root.put("port", Demo.freePort());
        root.put("io_threads", DEFAULT_PROXY_IO_THREADS);
        root.put("algorithm", algorithm);
        final List<Map<String, Object>> backends = new ArrayList<>();
        for (ScenarioSpec.OriginSpec o : spec.origins()) {
            for (String name : expandedNames(o)) {
                final Map<String, Object> backend = new LinkedHashMap<>();
                backend.put("url", origins.get(name).url());
                if (o.weight() != null) {
                    backend.put("weight", o.weight());
                }
                if (o.maxConnections() != null && o.maxConnections() > 0) {
                    backend.put("max_connections", o.maxConnections());
                }
                backends.add(backend);
            }
        }
        root.put("backends", backends);
        root.putAll(spec.proxy());
        if (variant != null) {
            root.putAll(variant.proxy());
        }
        final String yaml = new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
        return ConfigLoader.parse(yaml, "scenario " + spec.name() + " proxy");
    }

    static LoadgenOptions loadOptions(ScenarioSpec spec, int proxyPort) {
        final ScenarioSpec.LoadSpec load = spec.load();
        final String rate = load.rate() == null ? "max" : load.rate();
        final double perSecond = rate.equalsIgnoreCase("max") ? LoadgenOptions.CLOSED_LOOP : Double.parseDouble(rate);
        final int connections = load.connections() == null ? 16 : load.connections();
        final List<URI> targets = new ArrayList<>();
        for (String path : load.paths() == null ? List.of("/") : load.paths()) {
            targets.add(URI.create("http://" + HOST + ":" + proxyPort + path));
        }
        final List<String> sources = load.hotKeys() == null ? List.of()
                : HotKeys.sourceAddresses(connections, load.hotKeys().sources(), load.hotKeys().skew(), spec.seed());
        return new LoadgenOptions(targets, "GET", List.of(), new byte[0], perSecond, connections,
                load.threads() == null ? 1 : load.threads(), nanos(load.duration(), "5s"), nanos(load.warmup(), "1s"),
                nanos(load.timeout(), "2s"), "auto", sources);
    }

    private static long nanos(String value, String fallback) {
        return Durations.parseNanos(value == null ? fallback : value);
    }

    private static void say(PrintWriter progress, String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
