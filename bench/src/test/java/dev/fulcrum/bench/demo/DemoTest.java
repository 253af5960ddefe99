package dev.fulcrum.bench.demo;

import dev.fulcrum.bench.cli.DemoCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoSecondDemoServesEveryBackendWithoutErrors() {
        final DemoCommand command = new DemoCommand();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        final int exit = cli.execute("--duration", "2s");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final DemoResult result = command.result();
        assertNotNull(result);
        assertTrue(result.requests() > 0, out.toString());
        assertEquals(0, result.errors(), out.toString());
        assertEquals(3, result.backends().size());
        for (BackendShare share : result.backends()) {
            assertTrue(share.served() > 0, share + "\n" + out);
        }
        assertEquals(result.requests(), result.latencyMicros().getTotalCount());
        assertTrue(out.toString().contains("throughput"), out.toString());
        assertTrue(out.toString().contains("p99.9"), out.toString());
    }

    @Test
    void badAlgorithmIsAUsageError() {
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(new DemoCommand());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cli.execute("--duration", "1s", "--warmup", "0", "--algorithm", "no-such-algorithm"));
        assertTrue(err.toString().contains("algorithm"), err.toString());
    }

    @Test
    void badDurationIsAUsageError() {
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(new DemoCommand());
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("--duration", "ten"));
        assertTrue(err.toString().contains("not a duration"), err.toString());
    }

    @Test
    void profilesDrawWithinTheirBounds() {
        final LatencyProfile uniform = LatencyProfile.uniformMillis(2, 6);
        final LatencyProfile lognormal = LatencyProfile.lognormalMillis(10, 0.5);
        int belowMedian = 0;
        for (int i = 0; i < 10_000; i++) {
            final long u = uniform.nextDelayNanos();
            assertTrue(u >= 2_000_000 && u < 6_000_000, Long.toString(u));
            final long l = lognormal.nextDelayNanos();
            assertTrue(l > 0 && l <= 200_000_000, Long.toString(l));
            if (l < 10_000_000) {
                belowMedian++;
            }
        }
        assertTrue(belowMedian > 4_500 && belowMedian < 5_500, "median off: " + belowMedian);
        assertEquals(1_000_000, LatencyProfile.constantMillis(1).nextDelayNanos());
    }
}
