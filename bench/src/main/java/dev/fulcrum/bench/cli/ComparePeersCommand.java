package dev.fulcrum.bench.cli;

import dev.fulcrum.bench.peers.Payload;
import dev.fulcrum.bench.peers.PeerBench;
import dev.fulcrum.bench.peers.PeerBenchOptions;
import dev.fulcrum.bench.peers.PeerBenchResult;
import dev.fulcrum.bench.peers.PeerKind;
import dev.fulcrum.bench.peers.PeerRow;
import dev.fulcrum.bench.peers.PeersReport;
import dev.fulcrum.bench.report.Environment;
import dev.fulcrum.transport.io.TransportUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum compare-peers}: the same load through Fulcrum, nginx and HAProxy, each pinned to one core; writes
 * {@code perf-reports/peers/}.
 *
 * <p>Exit codes: 0 when every present proxy was measured and the report written; 1 when a proxy or the load could not
 * start, a run had errors, or the report could not be written; 2 for bad arguments.
 */
@Command(name = "compare-peers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one load through Fulcrum, nginx and HAProxy (absent ones are skipped with the reason),",
                "each on its own core; reports throughput, latency percentiles and proxy CPU per request."})
public final class ComparePeersCommand implements Callable<Integer> {
    public static final Path DEFAULT_REPORT_DIR = Paths.get("perf-reports", "peers");

    @Option(names = "--proxies", paramLabel = "LIST", split = ",", defaultValue = "fulcrum,nginx,haproxy",
            description = "Proxies to compare, in order. Default: ${DEFAULT-VALUE}.")
    List<String> proxies = new ArrayList<>();

    @Option(names = "--payloads", paramLabel = "LIST", split = ",", defaultValue = "tiny,16k",
            description = "Response sizes: tiny (13 bytes), a byte count, or with a k/m suffix. Default: ${DEFAULT-VALUE}.")
    List<String> payloads = new ArrayList<>();

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "50",
            description = "Load generator keep-alive connections. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "10s", converter = DemoCommand.DurationConverter.class,
            description = "Measured phase of each run (at least 2s). Default: ${DEFAULT-VALUE}.")
    long durationNanos;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "3s", converter = DemoCommand.DurationConverter.class,
            description = "Load before each measured phase. Default: ${DEFAULT-VALUE}.")
    long warmupNanos;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Also run each payload open loop at R requests/s (0: closed loop only). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--proxy-cpu", paramLabel = "N", defaultValue = "1",
            description = "Core of the proxy under test. Default: ${DEFAULT-VALUE}.")
    int proxyCpu;

    @Option(names = "--load-cpu", paramLabel = "N", defaultValue = "0",
            description = "Core of the load generator and the origins. Default: ${DEFAULT-VALUE}.")
    int loadCpu;

    @Option(names = "--fulcrum-warmup", paramLabel = "SECONDS", defaultValue = "10",
            description = "JIT warm-up of the Fulcrum child (`run --warmup`). Default: ${DEFAULT-VALUE}.")
    int fulcrumWarmupSeconds;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time a proxy gets to answer its first request (plus the warm-up). Default: ${DEFAULT-VALUE}.")
    int readyTimeoutSeconds;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory. Default: perf-reports/peers.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PeerBenchResult result;

    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final PeerBenchOptions options;
        try {
            final List<PeerKind> kinds = new ArrayList<>();
            for (String name : proxies) {
                kinds.add(PeerKind.fromLabel(name));
            }
            final List<Payload> sizes = new ArrayList<>();
            for (String payload : payloads) {
                sizes.add(Payload.parse(payload));
            }
            options = new PeerBenchOptions(kinds, sizes, connections, durationNanos, warmupNanos, rate, proxyCpu,
                    loadCpu, fulcrumWarmupSeconds, readyTimeoutSeconds);
        } catch (IllegalArgumentException e) {
            err.println("fulcrum compare-peers: " + e.getMessage());
            return FulcrumMain.EXIT_USAGE;
        }
        try {
            result = PeerBench.run(options, err);
        } catch (IOException | TransportUnavailableException e) {
            err.println("fulcrum compare-peers: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fulcrum compare-peers: interrupted");
            return 1;
        }
        final Path dir = out != null ? out : DEFAULT_REPORT_DIR;
        final String stamp = DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
        try {
            PeersReport.write(dir, result, Environment.current(), command(), stamp, settings(options));
        } catch (IOException e) {
            err.println("fulcrum compare-peers: cannot write the report: " + e.getMessage());
            return 1;
        }
        long errors = 0;
        stdout.println(PeerRow.CSV_HEADER);
        for (PeerRow row : result.rows()) {
            stdout.println(row.csv());
            errors += row.errors();
        }
        stdout.println("report: " + dir.resolve(PeersReport.MARKDOWN));
        stdout.flush();
        if (errors > 0) {
            err.println("fulcrum compare-peers: " + errors + " requests failed; see the errors column");
            return 1;
        }
        return 0;
    }

    private String command() {
        final List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0); // the parse result is the top-level command's
        }
        return "./fulcrum compare-peers " + String.join(" ", args);
    }

    private static String settings(PeerBenchOptions o) {
        return String.format(Locale.ROOT, "%d connections on one event loop, %s warm-up then %s measured per run"
                        + "%s; payloads %s", o.connections(), seconds(o.warmupNanos()), seconds(o.durationNanos()),
                o.fixedRate() > 0 ? String.format(Locale.ROOT, ", closed loop and %.0f requests/s", o.fixedRate())
                        : ", closed loop",
                String.join(", ", o.payloads().stream().map(p -> p.label() + " (" + p.bytes() + " B)").toList()));
    }

    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos / 1e9).stripTrailingZeros().toPlainString() + " s";
    }

    /** The last run's result, or null; for tests. */
    public PeerBenchResult result() {
        return result;
    }
}
