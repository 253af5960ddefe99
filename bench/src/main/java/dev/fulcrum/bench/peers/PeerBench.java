package dev.fulcrum.bench.peers;

import dev.fulcrum.bench.demo.Demo;
import dev.fulcrum.bench.loadgen.IntervalSample;
import dev.fulcrum.bench.loadgen.LoadResult;
import dev.fulcrum.bench.loadgen.LoadRun;
import dev.fulcrum.bench.loadgen.LoadgenOptions;
import dev.fulcrum.transport.io.TransportChooser;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs one comparison: pins this JVM (load generator and origins) to the load core, starts the origins, then for each
 * proxy in turn starts it on the proxy core, runs every payload in closed loop (and at the fixed rate when one is
 * set), and stops it. Each run's CPU window is its measured phase after the first second: the proxy's
 * {@code /proc/<pid>/stat} utime + stime is read at each one-second boundary of the load generator, so CPU and
 * responses are counted over the same interval.
 *
 * <p>Called on one thread. Every process it starts is stopped before it returns, on failure too, and by a shutdown
 * hook when the JVM is interrupted (Ctrl-C) while it runs.
 */
public final class PeerBench {
    private static final int ORIGIN_LISTENERS = 2;
    private static final long LOAD_TIMEOUT_NANOS = 5_000_000_000L;

    private final PeerBenchOptions options;
    private final PrintWriter progress;
    private final List<PeerProcess> running = new CopyOnWriteArrayList<>();
    /** Configs and logs of the proxies; deleted at the end, by the shutdown hook too. */
    private volatile Path work;

    private PeerBench(PeerBenchOptions options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
    }

    public static PeerBenchResult run(PeerBenchOptions options, PrintWriter progress)
            throws IOException, InterruptedException {
        return new PeerBench(options, progress).execute();
    }

    private PeerBenchResult execute() throws IOException, InterruptedException {
        final Map<String, String> versions = new LinkedHashMap<>();
        final Map<String, String> skipped = new LinkedHashMap<>();
        final List<PeerKind> present = new ArrayList<>();
        for (PeerKind kind : options.proxies()) {
            final String reason = kind.absentReason();
            if (reason != null) {
                say("compare-peers: skipping " + kind.label() + ": " + reason);
                skipped.put(kind.label(), reason);
            } else {
                present.add(kind);
                versions.put(kind.label(), kind.version());
            }
        }
        final Thread stopAll = new Thread(this::stopAllAndClean, "compare-peers-stop");
        Runtime.getRuntime().addShutdownHook(stopAll);
        work = Files.createTempDirectory("fulcrum-peers");
        final List<PeerRow> rows = new ArrayList<>();
        final String layout;
        try (CpuPinning pinning = CpuPinning.pinSelf(options.loadCpu(), options.proxyCpu(), this::say);
             PayloadOrigin origin = PayloadOrigin.start(ORIGIN_LISTENERS, options.payloads())) {
            layout = pinning.active()
                    ? "proxy on core " + options.proxyCpu() + " (taskset), load generator and origins on core "
                    + options.loadCpu()
                    : "not pinned (see the run's log for why)";
            for (PeerKind kind : present) {
                rows.addAll(measure(kind, pinning, origin.addresses(), work));
            }
        } finally {
            stopAllAndClean();
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
        return new PeerBenchResult(rows, versions, skipped, layout, TransportChooser.choose("auto").configName());
    }

    private List<PeerRow> measure(PeerKind kind, CpuPinning pinning, List<String> origins, Path work)
            throws IOException, InterruptedException {
        final int port = Demo.freePort();
        final List<String> command = new ArrayList<>(pinning.prefix(options.proxyCpu()));
        command.addAll(kind.command(work, port, origins, options.fulcrumWarmupSeconds()));
        say("compare-peers: starting " + kind.label() + ": " + String.join(" ", command));
        final PeerProcess proxy = PeerProcess.start(kind.label(), command, work.resolve(kind.label() + ".log"));
        running.add(proxy);
        try {
            final int readySeconds = options.readyTimeoutSeconds()
                    + (kind == PeerKind.FULCRUM ? options.fulcrumWarmupSeconds() : 0);
            proxy.awaitReady(URI.create("http://127.0.0.1:" + port + options.payloads().get(0).path()),
                    Duration.ofSeconds(readySeconds));
            final List<PeerRow> rows = new ArrayList<>();
            for (Payload payload : options.payloads()) {
                final URI target = URI.create("http://127.0.0.1:" + port + payload.path());
                rows.add(load(kind, proxy, payload, target, LoadgenOptions.CLOSED_LOOP));
                if (options.fixedRate() > 0) {
                    rows.add(load(kind, proxy, payload, target, options.fixedRate()));
                }
            }
            return rows;
        } finally {
            proxy.close();
            running.remove(proxy);
        }
    }

    private PeerRow load(PeerKind kind, PeerProcess proxy, Payload payload, URI target, double rate)
            throws InterruptedException {
        say("compare-peers: " + kind.label() + " " + payload.label() + " "
                + (rate == LoadgenOptions.CLOSED_LOOP ? "closed loop" : "at " + rate + "/s"));
        final LoadgenOptions load = new LoadgenOptions(List.of(target), "GET", List.of(), new byte[0], rate,
                options.connections(), 1, options.durationNanos(), options.warmupNanos(), LOAD_TIMEOUT_NANOS, "auto",
                List.of());
        final CpuWindow window = new CpuWindow(proxy.handle());
        final LoadResult result = LoadRun.run(load, null, null, window);
        final Map<String, Double> p = result.latencyMillis();
        return new PeerRow(kind.label(), payload.label(), payload.bytes(),
                rate == LoadgenOptions.CLOSED_LOOP ? PeerRow.CLOSED : PeerRow.RATE, rate, result.achievedRate(),
                result.requests(), result.errors(), p.get("p50"), p.get("p90"), p.get("p99"), p.get("p99.9"),
                p.get("max"), window.microsPerRequest(), window.cpuPercent());
    }

    private void stopAllAndClean() {
        for (PeerProcess process : running) {
            process.close();
        }
        final Path dir = work;
        if (dir != null) {
            deleteTree(dir);
        }
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a file the proxy left behind (nginx's worker owns its temp dirs): the directory is in /tmp
        }
    }

    /**
     * The proxy's CPU between the first and the last one-second boundary of a measured phase, and the responses
     * completed in between. Called on the load generator's sampling thread.
     */
    private static final class CpuWindow implements Consumer<IntervalSample> {
        private final ProcessHandle proxy;
        private long firstMicros = -1;
        private long lastMicros;
        private long responses;
        private double seconds;

        CpuWindow(ProcessHandle proxy) {
            this.proxy = proxy;
        }

        @Override
        public void accept(IntervalSample sample) {
            final long now = ProcessCpu.micros(proxy);
            if (firstMicros < 0) {
                firstMicros = now;
            } else {
                responses += sample.completed();
                seconds += sample.lengthSeconds();
            }
            lastMicros = now;
        }

        double microsPerRequest() {
            return responses == 0 ? Double.NaN : (double) (lastMicros - firstMicros) / responses;
        }

        double cpuPercent() {
            return seconds == 0 ? Double.NaN : (lastMicros - firstMicros) / 1e4 / seconds;
        }
    }
}
