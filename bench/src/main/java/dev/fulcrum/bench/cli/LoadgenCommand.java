package dev.fulcrum.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fulcrum.bench.loadgen.LoadResult;
import dev.fulcrum.bench.loadgen.LoadRun;
import dev.fulcrum.bench.loadgen.LoadgenOptions;
import dev.fulcrum.transport.io.TransportUnavailableException;
import org.HdrHistogram.HistogramLogWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum loadgen URL...}: open-loop (constant rate, coordinated omission corrected) or closed-loop HTTP/1.1
 * keep-alive load with HdrHistogram percentiles.
 *
 * <p>Exit codes: 0 PASS; 1 FAIL (more than 1 % short of the requested rate, or no 2xx response) or a run that could
 * not start; 2 bad arguments. Summary on stdout, one progress line per second on stderr.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"HTTP/1.1 keep-alive load: open loop at --rate R (latency from the scheduled send time,",
                "coordinated omission corrected, uncorrected figure beside it) or closed loop with --rate max.",
                "Connection i uses URL i % (number of URLs)."})
public final class LoadgenCommand implements Callable<Integer> {
    public static final int EXIT_PASS = 0;
    public static final int EXIT_FAIL = 1;
    public static final int EXIT_USAGE = 2;

    @Parameters(paramLabel = "URL", arity = "1..*", description = "Target http://host:port/path URLs.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "R|max", required = true,
            description = "Requests per second over all connections (open loop), or 'max' (closed loop).")
    String rate;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "10s",
            converter = DemoCommand.DurationConverter.class, description = "Measured phase. Default: ${DEFAULT-VALUE}.")
    long durationNanos;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "2s", converter = DemoCommand.DurationConverter.class,
            description = "Load before measuring; the recording is reset after it. Default: ${DEFAULT-VALUE}.")
    long warmupNanos;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "16",
            description = "Keep-alive connections, one request in flight each. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = {"-t", "--threads"}, paramLabel = "M", defaultValue = "1",
            description = "Event loops the connections are spread over. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "5s", converter = DemoCommand.DurationConverter.class,
            description = "Response deadline; a late response is a timeout and its connection is replaced."
                    + " Default: ${DEFAULT-VALUE}.")
    long timeoutNanos;

    @Option(names = {"-X", "--method"}, paramLabel = "M", defaultValue = "GET", description = "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "TEXT", description = "Request body (UTF-8).")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "Request body from a file.")
    Path bodyFile;

    @Option(names = "--transport", paramLabel = "T", defaultValue = "auto",
            description = "auto, io_uring, epoll or nio. Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = "--source", paramLabel = "ADDR",
            description = "Local address to connect from (repeatable; connection i uses entry i % count).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON.")
    Path json;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write the corrected latency distribution (.hgrm, ms).")
    Path hgrm;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write the interval histogram log (microseconds).")
    Path hlog;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private LoadResult result;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final LoadgenOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException | IOException e) {
            err.println("fulcrum loadgen: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (PrintStream log = hlog == null ? null : new PrintStream(Files.newOutputStream(hlog), false,
                StandardCharsets.UTF_8)) {
            result = LoadRun.run(options, err, log == null ? null : new HistogramLogWriter(log), null);
        } catch (TransportUnavailableException | IOException e) {
            err.println("fulcrum loadgen: " + e.getMessage());
            return EXIT_FAIL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fulcrum loadgen: interrupted");
            return EXIT_FAIL;
        }
        result.print(out);
        try {
            writeFiles(result);
        } catch (IOException e) {
            err.println("fulcrum loadgen: cannot write output: " + e.getMessage());
            return EXIT_FAIL;
        }
        if (!result.passed()) {
            err.println("fulcrum loadgen: FAIL: " + result.verdictReason());
            return EXIT_FAIL;
        }
        return EXIT_PASS;
    }

    private void writeFiles(LoadResult r) throws IOException {
        if (json != null) {
            jsonMapper().writeValue(json.toFile(), r);
        }
        if (hgrm != null) {
            try (PrintStream stream = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
                r.writeHgrm(stream);
            }
        }
    }

    /** The mapper result files are written with (indented, stable field order). */
    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private LoadgenOptions options() throws IOException {
        final List<URI> targets = new ArrayList<>();
        for (String url : urls) {
            try {
                targets.add(new URI(url));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + url);
            }
        }
        final double ratePerSecond;
        if (rate.equalsIgnoreCase("max")) {
            ratePerSecond = LoadgenOptions.CLOSED_LOOP;
        } else {
            try {
                ratePerSecond = Double.parseDouble(rate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rate must be a number of requests per second or 'max': " + rate);
            }
            if (!(ratePerSecond > 0)) {
                throw new IllegalArgumentException("--rate must be positive (or 'max'): " + rate);
            }
        }
        final List<Map.Entry<String, String>> headerList = new ArrayList<>();
        for (String header : headers) {
            final int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header must be 'Name: value': " + header);
            }
            headerList.add(new AbstractMap.SimpleImmutableEntry<>(header.substring(0, colon).trim(),
                    header.substring(colon + 1).trim()));
        }
        if (body != null && bodyFile != null) {
            throw new IllegalArgumentException("--body and --body-file are exclusive");
        }
        final byte[] bodyBytes = bodyFile != null ? Files.readAllBytes(bodyFile)
                : body != null ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
        return new LoadgenOptions(targets, method, headerList, bodyBytes, ratePerSecond, connections, threads,
                durationNanos, warmupNanos, timeoutNanos, transport, sources);
    }

    /** The last run's result, or null; for tests. */
    public LoadResult result() {
        return result;
    }
}
