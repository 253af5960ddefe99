package dev.fulcrum.bench.cli;

import dev.fulcrum.bench.report.Environment;
import dev.fulcrum.bench.report.JmhComparison;
import dev.fulcrum.bench.report.JmhReport;
import dev.fulcrum.bench.report.JmhRow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum jmh [regex] [jmh options...]}: runs the JMH suites in this jar with JMH's own command line.
 *
 * <p>Unless the arguments name a result format or file ({@code -rf}, {@code -rff}), results go to
 * {@code perf-reports/jmh/<UTC timestamp>.json}, so that every run leaves a result file behind. Exit codes: 0 after
 * JMH returns; JMH itself exits the JVM with 1 on a failed run.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = {"Run the JMH benchmarks in this jar: fulcrum jmh [regex] [jmh options...].",
                "Everything after 'jmh' goes to JMH (try: fulcrum jmh -l, fulcrum jmh ForwardingPath -prof gc).",
                "Without -rf/-rff, results go to perf-reports/jmh/<UTC timestamp>.json, with a markdown table beside it.",
                "--baseline FILE (before the JMH options) compares the run with an earlier JSON result and flags",
                "results more than 10 % worse (exit 1); add --current FILE to compare two files without running.",
                "JMH's own help: fulcrum jmh -- -h. Run the jar with",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED: forks inherit it."})
public final class JmhCommand implements Callable<Integer> {
    /** Where results go when the caller does not say. */
    public static final Path DEFAULT_RESULT_DIR = Paths.get("perf-reports", "jmh");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** JMH options that only list or explain: they produce no results, so no result file is added. */
    private static final Set<String> NO_RUN_OPTIONS = Set.of("-l", "-lp", "-lprof", "-lrf", "-h");

    @Parameters(paramLabel = "ARG", description = "A benchmark regex and/or JMH options, passed on unchanged.")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Picocli must hand JMH's single-dash options over as they are, not parse them. */
    static CommandLine configure(CommandLine jmh) {
        return jmh.setUnmatchedOptionsArePositionalParams(true)
                .setStopAtPositional(true)
                .setPosixClusteredShortOptionsAllowed(false);
    }

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<String> jmhArgs = new ArrayList<>(args);
        final Path baseline;
        final Path current;
        try {
            baseline = take(jmhArgs, "--baseline");
            current = take(jmhArgs, "--current");
        } catch (IllegalArgumentException e) {
            err.println("fulcrum jmh: " + e.getMessage());
            return FulcrumMain.EXIT_USAGE;
        }
        if (current != null && baseline == null) {
            err.println("fulcrum jmh: --current needs --baseline");
            return FulcrumMain.EXIT_USAGE;
        }
        Path result = current;
        if (current == null) {
            final ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            final List<String> full = withDefaults(jmhArgs, now, DEFAULT_RESULT_DIR);
            org.openjdk.jmh.Main.main(full.toArray(new String[0]));
            result = full.size() > jmhArgs.size() ? Paths.get(full.get(full.size() - 1)) : null;
            if (result != null && Files.isRegularFile(result)) {
                final Path page = sibling(result, ".md");
                Files.writeString(page, JmhReport.markdown(JmhReport.read(result), "JMH run " + result.getFileName(),
                        "./fulcrum jmh " + String.join(" ", jmhArgs), Environment.current(),
                        DateTimeFormatter.ISO_INSTANT.format(now.withNano(0))), StandardCharsets.UTF_8);
                out.println("fulcrum jmh: results " + result + ", table " + page);
            }
        }
        if (baseline == null) {
            return 0;
        }
        if (result == null || !Files.isRegularFile(result)) {
            err.println("fulcrum jmh: --baseline needs a JSON result: run without -rf/-rff, or give --current FILE");
            return FulcrumMain.EXIT_USAGE;
        }
        return compare(baseline, result, out, err);
    }

    private static int compare(Path baseline, Path result, PrintWriter out, PrintWriter err) throws IOException {
        final List<JmhRow> before;
        final List<JmhRow> after;
        try {
            before = JmhReport.read(baseline);
            after = JmhReport.read(result);
        } catch (IOException | IllegalArgumentException e) {
            err.println("fulcrum jmh: " + e.getMessage());
            return FulcrumMain.EXIT_USAGE;
        }
        final JmhComparison comparison = JmhComparison.of(before, after, JmhComparison.DEFAULT_THRESHOLD);
        final String table = comparison.markdown(baseline.toString(), result.toString());
        final Path page = sibling(result, "-vs-" + stem(baseline) + ".md");
        Files.writeString(page, "# JMH comparison\n\n" + table, StandardCharsets.UTF_8);
        out.print(table);
        out.println("fulcrum jmh: comparison written to " + page);
        out.flush();
        if (!comparison.regressions().isEmpty()) {
            err.println("fulcrum jmh: " + comparison.regressions().size() + " regression(s) over 10 %");
            return 1;
        }
        return 0;
    }

    /** Removes {@code option VALUE} from the list and returns VALUE, or null when absent. */
    static Path take(List<String> list, String option) {
        final int i = list.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= list.size()) {
            throw new IllegalArgumentException(option + " needs a FILE");
        }
        final Path value = Paths.get(list.get(i + 1));
        list.remove(i + 1);
        list.remove(i);
        return value;
    }

    private static String stem(Path file) {
        final String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private static Path sibling(Path file, String suffix) {
        final Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(stem(file) + suffix);
    }

    /**
     * The arguments JMH gets: the caller's, plus {@code -rf json -rff perf-reports/jmh/<stamp>.json} when they name
     * neither a result format nor a result file and actually run benchmarks. Creates {@code resultDir} when it adds
     * a file in it.
     */
    static List<String> withDefaults(List<String> given, ZonedDateTime now, Path resultDir) throws IOException {
        final List<String> out = new ArrayList<>(given);
        for (String arg : given) {
            if (arg.equals("-rf") || arg.equals("-rff") || NO_RUN_OPTIONS.contains(arg)) {
                return out;
            }
        }
        Files.createDirectories(resultDir);
        out.add("-rf");
        out.add("json");
        out.add("-rff");
        out.add(resultDir.resolve(STAMP.format(now) + ".json").toString());
        return out;
    }
}
