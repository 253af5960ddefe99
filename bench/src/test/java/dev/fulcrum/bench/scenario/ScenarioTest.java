package dev.fulcrum.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.bench.cli.FulcrumMain;
import dev.fulcrum.bench.cli.ScenarioCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tinyScenarioRunsEveryAlgorithmThroughTheProxyAndWritesTheReport(@TempDir Path out) throws Exception {
        final Path file = Paths.get(ScenarioTest.class.getResource("/scenarios/tiny.yaml").toURI());
        final CommandLine cli = FulcrumMain.commandLine();
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));

        final int exit = cli.execute("scenario", file.toString(), "--out", out.toString());

        final String log = "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        assertEquals(0, exit, log);
        final ScenarioCommand command = cli.getSubcommands().get("scenario").getCommand();
        final List<AlgorithmRun> runs = command.runs();
        assertEquals(2, runs.size());
        for (AlgorithmRun run : runs) {
            assertTrue(run.load().requests() > 100, run.algorithm() + " " + log);
            assertTrue(run.served().get("fast") > 0 && run.served().get("slow") > 0, run.served() + log);
            // 10 % of the slow origin's answers are 500s: the proxy forwards them, the load generator counts them.
            assertTrue(run.load().counts().get("5xx") > 0, run.load().counts() + log);
        }
        assertTrue(stderr.toString().contains("event 500ms: slow_down fast"), log);

        final String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| 1 | ") && readme.contains("| 2 | "), readme);
        assertTrue(readme.contains("round-robin") && readme.contains("least-connections"), readme);
        assertTrue(readme.contains("git sha:") && readme.contains("./fulcrum scenario"), readme);
        for (String png : List.of(ScenarioReport.LATENCY_CHART, ScenarioReport.THROUGHPUT_CHART,
                ScenarioReport.SHARE_CHART)) {
            final byte[] head = new byte[4];
            System.arraycopy(Files.readAllBytes(out.resolve(png)), 0, head, 0, 4);
            assertArrayEquals(PNG_MAGIC, head, png);
        }
        final JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, results.size());
        assertTrue(results.get(0).get("load").get("intervals").size() >= 1, results.toString());
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.parse(
                "name: x\norigins:\n  - name: a\n    latency: {distribution: constant, ms: 1}\n    speed: 3\n",
                "x.yaml"));
        assertTrue(e.getMessage().startsWith("x.yaml:5: unknown key 'speed'"), e.getMessage());
    }

    @Test
    void eventOnUnknownOriginIsRejected() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.parse(
                "name: x\norigins:\n  - {name: b, count: 2, latency: {distribution: constant, ms: 1}}\n"
                        + "events:\n  - {at: 1s, origin: b3, action: kill}\nload: {rate: '10'}\nalgorithms: [random]\n",
                "x.yaml"));
        assertTrue(e.getMessage().contains("unknown origin 'b3'") && e.getMessage().contains("b2"), e.getMessage());
    }

    @Test
    void everyShippedScenarioParses() throws Exception {
        final Path dir = shippedDir();
        try (var files = Files.list(dir)) {
            final List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(yamls.size() >= 6, yamls.toString());
            for (Path yaml : yamls) {
                final ScenarioSpec spec = ScenarioLoader.parse(Files.readString(yaml), yaml.toString());
                assertEquals(yaml.getFileName().toString(), spec.name() + ".yaml");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void variantsRunEachAlgorithmOncePerVariantWithTheirProxyKeys(@TempDir Path out) throws Exception {
        final Path file = Paths.get(ScenarioTest.class.getResource("/scenarios/tiny-variants.yaml").toURI());
        final CommandLine cli = FulcrumMain.commandLine();
        final StringWriter stderr = new StringWriter();
        cli.setErr(new PrintWriter(stderr, true));

        assertEquals(0, cli.execute("scenario", file.toString(), "--out", out.toString()), stderr.toString());

        final List<AlgorithmRun> runs = ((ScenarioCommand) cli.getSubcommands().get("scenario").getCommand()).runs();
        assertEquals(List.of("round-robin (outlier off)", "round-robin (outlier on)"),
                runs.stream().map(AlgorithmRun::label).toList());
        // Off: round robin sends every other request to the origin that always fails. On: three 5xx in a row eject it.
        final long off = runs.get(0).load().counts().get("5xx");
        final long on = runs.get(1).load().counts().get("5xx");
        assertTrue(off > 50 && on < off / 10, "5xx off " + off + ", on " + on);
        final String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("## Variants side by side") && readme.contains("| p99 outlier off | p99 outlier on |")
                && readme.contains("| round-robin | "), readme);
    }

    @Test
    void outlierVariantsKeepTheirBaseScenario() throws Exception {
        for (String base : List.of("one-slow-of-ten", "flapping")) {
            final ScenarioSpec plain = ScenarioLoader.load(shippedDir().resolve(base + ".yaml").toString());
            final ScenarioSpec variants = ScenarioLoader.load(shippedDir().resolve(base + "-outlier.yaml").toString());
            assertEquals(plain.origins(), variants.origins(), base);
            assertEquals(plain.events(), variants.events(), base);
            assertEquals(plain.load(), variants.load(), base);
            assertEquals(plain.algorithms(), variants.algorithms(), base);
            assertEquals(plain.seed(), variants.seed(), base);
            assertEquals(plain.proxy(), variants.proxy(), base);
            assertEquals("outlier off", variants.variants().get(0).name());
            assertTrue(variants.variants().get(0).proxy().isEmpty(), base);
            assertTrue(variants.variants().get(1).proxy().containsKey("outlier_detection"), base);
        }
    }

    @Test
    void rankingPutsHighErrorRatesLastThenOrdersByP99() {
        final AlgorithmRun fastButFailing = ReportFixtures.run("a", 1.0, 2.0, 50);
        final AlgorithmRun slow = ReportFixtures.run("b", 5.0, 30.0, 0);
        final AlgorithmRun quick = ReportFixtures.run("c", 2.0, 8.0, 0);
        final List<AlgorithmRun> ranked = ScenarioReport.rank(List.of(fastButFailing, slow, quick));
        assertEquals(List.of("c", "b", "a"), ranked.stream().map(AlgorithmRun::algorithm).toList());
    }

    private static Path shippedDir() throws URISyntaxException {
        // Surefire runs in the module directory.
        return Paths.get("scenarios");
    }
}
