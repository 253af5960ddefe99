package dev.fulcrum.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
                "Without -rf/-rff, results go to perf-reports/jmh/<UTC timestamp>.json.",
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

    /** Picocli must hand JMH's single-dash options over as they are, not parse them. */
    static CommandLine configure(CommandLine jmh) {
        return jmh.setUnmatchedOptionsArePositionalParams(true)
                .setStopAtPositional(true)
                .setPosixClusteredShortOptionsAllowed(false);
    }

    @Override
    public Integer call() throws Exception {
        final String[] jmhArgs = withDefaults(args, ZonedDateTime.now(ZoneOffset.UTC), DEFAULT_RESULT_DIR).toArray(new String[0]);
        org.openjdk.jmh.Main.main(jmhArgs);
        return 0;
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
