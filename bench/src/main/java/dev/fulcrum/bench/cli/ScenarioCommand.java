package dev.fulcrum.bench.cli;

import dev.fulcrum.bench.report.Environment;
import dev.fulcrum.bench.scenario.AlgorithmRun;
import dev.fulcrum.bench.scenario.ScenarioCharts;
import dev.fulcrum.bench.scenario.ScenarioLoader;
import dev.fulcrum.bench.scenario.ScenarioReport;
import dev.fulcrum.bench.scenario.ScenarioRunner;
import dev.fulcrum.bench.scenario.ScenarioSpec;
import dev.fulcrum.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum scenario NAME|FILE}: runs a scenario once per algorithm and writes the ranked report, the charts
 * and the raw results to {@code perf-reports/scenarios/<name>/}.
 *
 * <p>Exit codes: 0 when every algorithm ran; 1 when a run could not start or the report could not be written; 2 for
 * an unknown or invalid scenario.
 */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Simulated origins, the real proxy, the same load per algorithm; ranked report with charts.",
                "NAME is a file in bench/scenarios/ (without .yaml) or one shipped in the jar; FILE is a path."})
public final class ScenarioCommand implements Callable<Integer> {
    public static final Path DEFAULT_REPORT_DIR = Paths.get("perf-reports", "scenarios");

    @Parameters(paramLabel = "NAME|FILE", description = "Scenario name or YAML file.")
    String scenario;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory. Default: perf-reports/scenarios/<name>.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private List<AlgorithmRun> runs;

    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ScenarioSpec scenarioSpec;
        try {
            scenarioSpec = ScenarioLoader.load(scenario);
        } catch (IllegalArgumentException | IOException e) {
            err.println("fulcrum scenario: " + e.getMessage());
            return 2;
        }
        try {
            runs = ScenarioRunner.run(scenarioSpec, err);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("fulcrum scenario: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fulcrum scenario: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("fulcrum scenario: " + e);
            return 1;
        }
        final Path dir = out != null ? out : DEFAULT_REPORT_DIR.resolve(scenarioSpec.name());
        try {
            write(scenarioSpec, dir);
        } catch (IOException e) {
            err.println("fulcrum scenario: cannot write the report: " + e.getMessage());
            return 1;
        }
        stdout.println("ranking for " + scenarioSpec.name() + " (best first):");
        int rank = 1;
        for (AlgorithmRun run : ScenarioReport.rank(runs)) {
            stdout.printf(java.util.Locale.ROOT, "  %d. %-28s p99 %8.2f ms  p50 %7.2f ms  %8.0f req/s  errors %d%n",
                    rank++, run.label(), run.load().latencyMillis().get("p99"),
                    run.load().latencyMillis().get("p50"), run.load().achievedRate(), run.load().errors());
        }
        stdout.println("report: " + dir.resolve("README.md"));
        stdout.flush();
        return 0;
    }

    private void write(ScenarioSpec scenarioSpec, Path dir) throws IOException {
        Files.createDirectories(dir);
        final String command = "./fulcrum scenario " + scenario + (out == null ? "" : " --out " + out);
        final String stamp = DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
        Files.writeString(dir.resolve("README.md"),
                ScenarioReport.markdown(scenarioSpec, runs, Environment.current(), command, stamp),
                StandardCharsets.UTF_8);
        final List<Map<String, Object>> raw = new ArrayList<>();
        for (AlgorithmRun run : runs) {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("algorithm", run.algorithm());
            if (run.variant() != null) {
                entry.put("variant", run.variant());
            }
            entry.put("served", run.served());
            entry.put("load", run.load());
            raw.add(entry);
        }
        LoadgenCommand.jsonMapper().writeValue(dir.resolve("results.json").toFile(), raw);
        ScenarioCharts.write(scenarioSpec.name(), runs, dir);
    }

    /** The last run's results, or null; for tests. */
    public List<AlgorithmRun> runs() {
        return runs;
    }
}
