package dev.fulcrum.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhCommandTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 26, 18, 30, 5, 0, ZoneOffset.UTC);

    @Test
    void jmhOptionsPassThroughUnparsed() {
        final CommandLine.ParseResult parsed = FulcrumMain.commandLine()
                .parseArgs("jmh", "ForwardingPath", "-prof", "gc", "-f", "1", "-wi", "3", "-i", "5");
        final JmhCommand jmh = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(List.of("ForwardingPath", "-prof", "gc", "-f", "1", "-wi", "3", "-i", "5"), jmh.args);
    }

    @Test
    void leadingJmhOptionIsPassedOnToo() {
        final CommandLine.ParseResult parsed = FulcrumMain.commandLine().parseArgs("jmh", "-prof", "gc", "-h");
        final JmhCommand jmh = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(List.of("-prof", "gc", "-h"), jmh.args);
    }

    @Test
    void addsJsonResultFileWhenNoneGiven(@TempDir Path tmp) throws Exception {
        final Path dir = tmp.resolve("perf-reports/jmh");
        final List<String> args = JmhCommand.withDefaults(List.of("ForwardingPath", "-prof", "gc"), NOW, dir);
        assertEquals(List.of("ForwardingPath", "-prof", "gc", "-rf", "json", "-rff",
                dir.resolve("20261126T183005Z.json").toString()), args);
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void keepsTheCallersResultOptions(@TempDir Path tmp) throws Exception {
        final Path dir = tmp.resolve("out");
        assertEquals(List.of("-rf", "csv"), JmhCommand.withDefaults(List.of("-rf", "csv"), NOW, dir));
        assertEquals(List.of("-rff", "x.json"), JmhCommand.withDefaults(List.of("-rff", "x.json"), NOW, dir));
        assertEquals(List.of("-l"), JmhCommand.withDefaults(List.of("-l"), NOW, dir));
        assertFalse(Files.exists(dir));
    }
}
