package dev.fulcrum.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.bench.cli.ComparePeersCommand;
import dev.fulcrum.bench.cli.FulcrumMain;
import dev.fulcrum.bench.report.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparePeersTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    /** A short real run: Fulcrum as a child JVM (and nginx where installed) on one core, the load on the other. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shortRunMeasuresEveryPresentProxyAndStopsWhatItStarted(@TempDir Path out) throws Exception {
        final boolean nginx = Executables.find("nginx") != null;
        if (!nginx) {
            System.out.println("ComparePeersTest: nginx not installed, measuring Fulcrum alone");
        }
        final CommandLine cli = FulcrumMain.commandLine();
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));

        final int exit = cli.execute("compare-peers", "--proxies", nginx ? "fulcrum,nginx" : "fulcrum",
                "--payloads", "tiny,4k", "--duration", "2s", "--warmup", "500ms", "--rate", "500", "-c", "8",
                "--fulcrum-warmup", "0", "--out", out.toString());

        final String log = "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        assertEquals(0, exit, log);
        final PeerBenchResult result = ((ComparePeersCommand) cli.getSubcommands().get("compare-peers").getCommand())
                .result();
        assertEquals((nginx ? 2 : 1) * 2 * 2, result.rows().size(), log);
        for (PeerRow row : result.rows()) {
            assertEquals(0, row.errors(), row + log);
            assertTrue(row.requests() > 200, row + log);
            // Any real proxy spends between a microsecond and ten milliseconds of CPU on a small request.
            assertTrue(row.cpuMicrosPerRequest() > 1 && row.cpuMicrosPerRequest() < 10_000, row + log);
            assertTrue(row.p50Millis() > 0 && row.p50Millis() <= row.p99Millis() && row.p99Millis() <= row.maxMillis(),
                    row + log);
            if (PeerRow.RATE.equals(row.mode())) {
                assertEquals(500, row.achievedRate(), 10, row + log);
            }
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive),
                "a process the comparison started is still running: " + ProcessHandle.current().descendants()
                        .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());

        final String readme = Files.readString(out.resolve(PeersReport.MARKDOWN));
        assertTrue(readme.contains("| tiny | fulcrum |") && readme.contains("| 4k | fulcrum |"), readme);
        assertTrue(readme.contains("## closed loop") && readme.contains("## fixed rate 500/s"), readme);
        assertTrue(readme.contains("git sha:") && readme.contains("./fulcrum compare-peers --proxies"), readme);
        assertEquals(1 + result.rows().size(), Files.readAllLines(out.resolve(PeersReport.CSV)).size());
        assertPng(out.resolve(PeersReport.CPU_CHART));
        assertPng(out.resolve(PeersReport.THROUGHPUT_CHART));
    }

    @Test
    void reportFromFixedRows(@TempDir Path out) throws Exception {
        final List<PeerRow> rows = new ArrayList<>();
        rows.add(new PeerRow("fulcrum", "tiny", 13, PeerRow.CLOSED, 0, 20000, 200000, 0, 1, 2, 3, 4, 5, 40, 80));
        rows.add(new PeerRow("fulcrum", "tiny", 13, PeerRow.RATE, 5000, 5000, 50000, 0, 0.2, 0.3, 0.5, 1, 2, 50, 25));
        rows.add(new PeerRow("nginx", "tiny", 13, PeerRow.CLOSED, 0, 25000, 250000, 0, 1, 2, 3, 4, 5, 30, 75));
        rows.add(new PeerRow("nginx", "tiny", 13, PeerRow.RATE, 5000, 5000, 50000, 2, 0.2, 0.3, 0.5, 1, 2, 25, 12.5));
        final PeerBenchResult result = new PeerBenchResult(rows, Map.of("fulcrum", "this build", "nginx", "nginx/1.22"),
                Map.of("haproxy", "haproxy is not installed"), "proxy on core 1", "epoll");
        final Environment env = new Environment("Test CPU, 2 cores", "Linux 6.1", "JDK 17", "abc123");

        PeersReport.write(out, result, env, "./fulcrum compare-peers --rate 5000", "2026-01-01T00:00:00Z",
                "8 connections");

        final String md = Files.readString(out.resolve(PeersReport.MARKDOWN));
        assertTrue(md.contains("| tiny | nginx | 25000 | 1.000 | 2.000 | 3.000 | 4.000 | 5.000 | 0 | 75.0 | 30.00 | 0.75 |"),
                md);
        assertTrue(md.contains("| tiny | nginx | 5000 | 0.200 | 0.300 | 0.500 | 1.000 | 2.000 | 2 | 12.5 | 25.00 | 0.50 |"),
                md);
        assertTrue(md.indexOf("## closed loop") < md.indexOf("## fixed rate 5000/s"), md);
        assertTrue(md.contains("- skipped haproxy: haproxy is not installed") && md.contains("- nginx: nginx/1.22"), md);
        assertTrue(md.contains("- git sha: abc123") && md.contains("./fulcrum compare-peers --rate 5000"), md);
        assertEquals(List.of(PeerRow.CSV_HEADER,
                        "fulcrum,tiny,13,closed,0.0,20000.0,200000,0,1.000,2.000,3.000,4.000,5.000,40.00,80.0",
                        "fulcrum,tiny,13,rate,5000.0,5000.0,50000,0,0.200,0.300,0.500,1.000,2.000,50.00,25.0",
                        "nginx,tiny,13,closed,0.0,25000.0,250000,0,1.000,2.000,3.000,4.000,5.000,30.00,75.0",
                        "nginx,tiny,13,rate,5000.0,5000.0,50000,2,0.200,0.300,0.500,1.000,2.000,25.00,12.5"),
                Files.readAllLines(out.resolve(PeersReport.CSV)));
        final JsonNode json = new ObjectMapper().readTree(out.resolve(PeersReport.JSON).toFile());
        assertEquals(4, json.get("result").get("rows").size());
        assertEquals(30.0, json.get("result").get("rows").get(2).get("cpuMicrosPerRequest").asDouble());
        assertPng(out.resolve(PeersReport.CPU_CHART));
        assertPng(out.resolve(PeersReport.THROUGHPUT_CHART));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        final CommandLine cli = FulcrumMain.commandLine();
        final StringWriter stderr = new StringWriter();
        cli.setErr(new PrintWriter(stderr, true));
        assertEquals(2, cli.execute("compare-peers", "--proxies", "squid"));
        assertTrue(stderr.toString().contains("unknown proxy 'squid'"), stderr.toString());
        assertEquals(2, cli.execute("compare-peers", "--payloads", "lots"));
        assertEquals(2, cli.execute("compare-peers", "--duration", "1s"));
        assertTrue(stderr.toString().contains("at least 2s"), stderr.toString());
    }

    @Test
    void statTicksSurviveCommandNamesWithParentheses() {
        assertEquals(7 + 3, ProcessCpu.parseTicks("42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0"));
        assertTrue(ProcessCpu.micros(ProcessHandle.current()) > 0);
        assertEquals(13, Payload.parse("tiny").bytes());
        assertEquals(16384, Payload.parse("16k").bytes());
        assertEquals(1048576, Payload.parse("1M").bytes());
    }

    private static void assertPng(Path png) throws Exception {
        try (InputStream in = Files.newInputStream(png)) {
            assertArrayEquals(PNG_MAGIC, in.readNBytes(4), png.toString());
        }
    }
}
