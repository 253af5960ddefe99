package dev.fulcrum.jcstress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs this module's jcstress tests with jcstress's own runner in a child JVM (it forks further JVMs per test),
 * in the mode given by {@code -Djcstress.mode} (sanity in CI: bounded to well under a minute per test; quick,
 * default or tough for real stress), and fails on any FORBIDDEN outcome or runner error.
 */
class JcstressRunTest {
    private static final long RUN_TIMEOUT_SECONDS = 600;

    @Test
    @Timeout(value = RUN_TIMEOUT_SECONDS + 30, unit = TimeUnit.SECONDS)
    void lockFreePartsShowNoForbiddenOutcome() throws Exception {
        final String mode = System.getProperty("jcstress.mode", "sanity");
        final Path results = Paths.get("target", "jcstress-results");
        Files.createDirectories(results);
        final Path log = results.resolve("run-" + mode + ".log");
        final String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main", "-m", mode, "-t", "dev\\.fulcrum\\..*Stress",
                "-r", results.toString(), "-v"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        final Process process = pb.start();
        final boolean finished = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        final String tail = output.substring(Math.max(0, output.length() - 3000));
        System.out.println("jcstress (" + mode + ") summary:\n" + tail);
        assertTrue(finished, "jcstress did not finish in " + RUN_TIMEOUT_SECONDS + " s");
        assertEquals(0, process.exitValue(), "jcstress exit status; log: " + log.toAbsolutePath());
        for (String test : List.of("TryAcquireCapStress", "AcquireReleaseStress", "SnapshotPublicationStress",
                "DeadFlagAcquireStress", "ReviveReleaseStress", "resilience.HalfOpenProbeLimitStress",
                "resilience.TripOnceStress", "resilience.FailedProbeRaceStress")) {
            assertTrue(output.contains("dev.fulcrum.jcstress." + test), test + " did not run:\n" + tail);
        }
        for (String test : List.of("LimiterBurstStress", "LimiterEvictionRaceStress")) {
            assertTrue(output.contains("dev.fulcrum.core.resilience." + test), test + " did not run:\n" + tail);
        }
        assertTrue(output.contains("Failed tests: No matches."), "FORBIDDEN outcomes seen:\n" + tail);
        assertTrue(output.contains("Error tests: No matches."), "jcstress errors:\n" + tail);
        assertTrue(output.contains(" 0 failed, 0 soft errs, 0 hard errs)"), tail);
    }
}
