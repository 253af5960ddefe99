package dev.fulcrum.bench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FulcrumMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        final CommandLine cli = FulcrumMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEverySubcommand() {
        assertEquals(0, execute("--help"));
        for (String sub : FulcrumMain.commandLine().getSubcommands().keySet()) {
            assertTrue(out.toString().contains(sub), sub + " missing from:\n" + out);
        }
        assertTrue(out.toString().contains("run"));
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : FulcrumMain.commandLine().getSubcommands().keySet()) {
            out.getBuffer().setLength(0);
            assertEquals(0, execute(sub, "--help"), sub);
            assertTrue(out.toString().startsWith("Usage: fulcrum " + sub), out.toString());
        }
    }

    @Test
    void unknownSubcommandPrintsUsageOnStderrAndExitsTwo() {
        assertEquals(2, execute("frobnicate"));
        assertTrue(err.toString().contains("Usage: fulcrum"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void unknownOptionPrintsUsageOnStderrAndExitsTwo() {
        assertEquals(2, execute("--no-such-option"));
        assertTrue(err.toString().contains("Usage: fulcrum"), err.toString());
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(2, execute());
        assertTrue(err.toString().contains("Usage: fulcrum"), err.toString());
    }

    @Test
    void versionComesFromTheBuild() {
        assertEquals(0, execute("--version"));
        assertTrue(out.toString().startsWith("fulcrum "), out.toString());
    }
}
