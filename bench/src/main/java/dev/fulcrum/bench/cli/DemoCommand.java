package dev.fulcrum.bench.cli;

import dev.fulcrum.bench.demo.Demo;
import dev.fulcrum.bench.demo.DemoOptions;
import dev.fulcrum.bench.demo.DemoResult;
import dev.fulcrum.core.config.Durations;
import dev.fulcrum.transport.io.TransportUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum demo}: three latency-profiled origins, the proxy and a closed-loop client in one process; prints
 * throughput, latency percentiles and each backend's share.
 *
 * <p>Exit codes: 0 when at least one request got a 2xx answer, 1 when none did or the proxy could not start, 2 for
 * bad arguments. The summary goes to stdout, progress lines to stderr.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Origins, proxy and closed-loop load in one process; prints latency and backend shares.",
                "Starts three origins (fast 1 ms, medium uniform 2-6 ms, slow lognormal median 10 ms), the proxy on",
                "127.0.0.1 in front of them, and keep-alive HTTP/1.1 load through it; everything stops at the end."})
public final class DemoCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured load phase, Go syntax (10s, 1m, 500ms). Default: ${DEFAULT-VALUE}.")
    long durationNanos;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
            description = "Load before measuring, not counted. Default: ${DEFAULT-VALUE}.")
    long warmupNanos;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
            description = "Keep-alive client connections, one request in flight each. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--algorithm", paramLabel = "A", defaultValue = DemoOptions.DEFAULT_ALGORITHM,
            description = "Load-balancing algorithm. Default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Option(names = "--transport", paramLabel = "T", defaultValue = "auto",
            description = "Proxy transport: auto, io_uring, epoll or nio. Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Proxy event loops; 0 = one per core. Default: ${DEFAULT-VALUE}.")
    int ioThreads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private DemoResult result;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final DemoOptions options;
        try {
            options = new DemoOptions(durationNanos, warmupNanos, connections, algorithm, transport, ioThreads);
        } catch (IllegalArgumentException e) {
            err.println("fulcrum demo: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            result = Demo.run(options, err);
        } catch (TransportUnavailableException e) {
            err.println("fulcrum demo: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IllegalArgumentException e) {
            err.println("fulcrum demo: " + e.getMessage());
            return EXIT_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fulcrum demo: interrupted");
            return EXIT_FAILED;
        }
        result.print(out);
        if (result.succeeded() == 0) {
            err.println("fulcrum demo: no request succeeded");
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }

    /** The last run's result, or null before a run; for tests and embedding. */
    public DemoResult result() {
        return result;
    }

    /** Go-style durations ({@code 10s}, {@code 1m30s}, {@code 500ms}) to nanoseconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Durations.parseNanos(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (" + e.getMessage()
                        + "; examples: 10s, 1m, 500ms)");
            }
        }
    }
}
