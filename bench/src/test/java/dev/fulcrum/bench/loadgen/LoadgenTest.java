package dev.fulcrum.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.bench.cli.FulcrumMain;
import dev.fulcrum.bench.cli.LoadgenCommand;
import dev.fulcrum.bench.demo.DemoOrigin;
import dev.fulcrum.bench.demo.LatencyProfile;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator against real origins on loopback (the demo's origin with known latency). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadgenTest {
    private EventLoopGroup originGroup;

    @BeforeEach
    void startGroup() {
        originGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stopGroup() {
        originGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void openLoopMedianIsWithinTenPercentOfAFixedLatencyAndJsonIsWritten(@TempDir Path dir) throws Exception {
        final DemoOrigin origin = new DemoOrigin("fixed", LatencyProfile.constantMillis(10)).start(originGroup);
        final Path json = dir.resolve("result.json");
        final Path hgrm = dir.resolve("result.hgrm");
        final Path hlog = dir.resolve("result.hlog");
        final Run run = execute("--rate", "200", "--connections", "4", "--duration", "3s", "--warmup", "1s",
                "--json", json.toString(), "--hgrm", hgrm.toString(), "--hlog", hlog.toString(), origin.url() + "/");

        assertEquals(0, run.exit, run.toString());
        final LoadResult result = run.command.result();
        final double p50 = result.latencyMillis().get("p50");
        assertTrue(p50 >= 9.0 && p50 <= 11.0, "p50 " + p50 + " ms, expected 10 ms +-10 %\n" + run);
        assertTrue(result.achievedRate() >= 198 && result.achievedRate() <= 202, run.toString());
        assertEquals(0, result.errors(), run.toString());
        assertTrue(result.uncorrectedMillis().get("p50") <= p50 + 0.01, run.toString());
        assertTrue(run.out.contains("uncorrected") && run.out.contains("sched.error"), run.toString());
        assertTrue(run.err.contains("p99 so far"), "progress lines on stderr:\n" + run.err);

        final JsonNode tree = new ObjectMapper().readTree(json.toFile());
        assertEquals("PASS", tree.get("verdict").asText());
        assertEquals("open", tree.get("mode").asText());
        assertEquals(200.0, tree.get("requestedRate").asDouble());
        assertEquals(result.requests(), tree.get("requests").asLong());
        assertTrue(tree.get("latencyMillis").has("p99.99"));
        assertTrue(tree.get("schedulingErrorMillis").has("p99"));
        assertTrue(tree.get("intervals").size() >= 3, tree.toString());
        assertTrue(Files.readString(hgrm).contains("#[Mean"), "hgrm footer");
        assertTrue(Files.readString(hlog).contains("#[StartTime"), "interval log header");
    }

    @Test
    void countsServerErrorsByStatusClassAndRefusedConnections() throws Exception {
        final DemoOrigin failing = new DemoOrigin("failing", LatencyProfile.constantMillis(0)).start(originGroup);
        failing.fail();
        final String refused = "http://127.0.0.1:" + unusedPort() + "/";
        final Run run = execute("--rate", "100", "--connections", "2", "--duration", "1s", "--warmup", "0",
                failing.url() + "/", refused);

        final LoadResult result = run.command.result();
        assertEquals(1, run.exit, "no 2xx at all is a FAIL\n" + run);
        assertTrue(result.counts().get("5xx") > 20, run.toString());
        assertTrue(result.counts().get("connect") > 0, run.toString());
        assertEquals(0, result.counts().get("2xx"), run.toString());
        assertTrue(run.out.contains("5xx") && run.out.contains("connect"), run.toString());
    }

    @Test
    void slowResponsesAreTimeoutsAndARateShortfallIsAFail() throws Exception {
        final DemoOrigin slow = new DemoOrigin("slow", LatencyProfile.constantMillis(400)).start(originGroup);
        final Run run = execute("--rate", "50", "--connections", "1", "--duration", "1s", "--warmup", "0",
                "--timeout", "100ms", slow.url() + "/");

        final LoadResult result = run.command.result();
        assertEquals(1, run.exit, run.toString());
        assertEquals("FAIL", result.verdict());
        assertTrue(result.counts().get("timeout") >= 3, run.toString());
    }

    @Test
    void closedLoopRunsAtMaximumRate() throws Exception {
        final DemoOrigin origin = new DemoOrigin("fast", LatencyProfile.constantMillis(0)).start(originGroup);
        final LoadResult result = LoadRun.run(LoadgenOptions.get(List.of(URI.create(origin.url() + "/")),
                LoadgenOptions.CLOSED_LOOP, 2, 1, TimeUnit.SECONDS.toNanos(1), 0), null, null, null);
        assertTrue(result.passed(), result.toString());
        assertEquals("closed", result.mode());
        assertTrue(result.requests() > 100, result.toString());
        assertEquals(result.requests(), result.correctedMicros().getTotalCount());
    }

    @Test
    void badRateIsAUsageError() {
        final Run run = execute("--rate", "fast", "http://127.0.0.1:1/");
        assertEquals(2, run.exit);
        assertTrue(run.err.contains("--rate"), run.err);
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Run execute(String... args) {
        final CommandLine cli = FulcrumMain.commandLine();
        final CommandLine sub = cli.getSubcommands().get("loadgen");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final String[] full = new String[args.length + 1];
        full[0] = "loadgen";
        System.arraycopy(args, 0, full, 1, args.length);
        final int exit = cli.execute(full);
        return new Run(exit, sub.getCommand(), out.toString(), err.toString());
    }

    private record Run(int exit, LoadgenCommand command, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
