package dev.fulcrum.transport.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code run} gets exit status 2 and a message naming file, line and key. */
class RunCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        final CommandLine cmd = new CommandLine(new RunCommand());
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        return cmd.execute(args);
    }

    @Test
    void exitsWith2AndNamesFileLineAndKeyForABadBackendUrl(@TempDir Path dir) throws Exception {
        final Path config = dir.resolve("config.yaml");
        Files.writeString(config, "port: 8080\nbackends:\n  - url: http://127.0.0.1:9001\n  - url: htp://x\n");
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--config", config.toString()));
        assertTrue(err.toString().contains("config.yaml:4 backends[1].url"), err.toString());
    }

    @Test
    void exitsWith2ForAnUnknownKey(@TempDir Path dir) throws Exception {
        final Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "port: 8080\nbackend:\n  - url: http://127.0.0.1:9001\n");
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--config", config.toString()));
        assertTrue(err.toString().contains("bad.yaml:2 backend"), err.toString());
    }

    @Test
    void exitsWith2ForAMissingFileAndForMissingFlags() {
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--config", "/nonexistent/fulcrum.yaml"));
        assertTrue(err.toString().contains("fulcrum.yaml"), err.toString());
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--port", "8080"));
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--port", "8080", "--backend", "http://127.0.0.1:1",
                "--algorithm", "no-such-algorithm"));
        assertTrue(err.toString().contains("no-such-algorithm"), err.toString());
    }

    @Test
    void exitsWith2ForAnUnknownTransport() {
        assertEquals(RunCommand.EXIT_BAD_CONFIG, run("--port", "8080", "--backend", "http://127.0.0.1:1",
                "--transport", "kqueue"));
        assertTrue(err.toString().contains("kqueue"), err.toString());
    }
}
