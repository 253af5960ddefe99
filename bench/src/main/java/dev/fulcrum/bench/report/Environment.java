package dev.fulcrum.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a measurement ran: CPU model and cores, kernel, JDK, git sha. Every generated report starts with it.
 *
 * @param cpu     model name and logical cores
 * @param kernel  operating system and kernel release
 * @param jdk     runtime vendor and version
 * @param gitSha  HEAD of the working directory's repository ({@code unknown} outside one), with {@code -dirty} when
 *                tracked files outside {@code perf-reports/} differ from it
 */
public record Environment(String cpu, String kernel, String jdk, String gitSha) {
    public static Environment current() {
        return new Environment(readCpu(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"), readGitSha());
    }

    /** The markdown block: a bullet list, plus the transport when the report has one (null otherwise). */
    public String markdown(String transport) {
        final StringBuilder out = new StringBuilder();
        out.append("- CPU: ").append(cpu).append('\n');
        out.append("- kernel: ").append(kernel).append('\n');
        out.append("- JDK: ").append(jdk).append('\n');
        if (transport != null) {
            out.append("- transport: ").append(transport).append('\n');
        }
        out.append("- git sha: ").append(gitSha).append('\n');
        return out.toString();
    }

    private static String readCpu() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            model = System.getProperty("os.arch");
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static String readGitSha() {
        final String sha = git(List.of("git", "rev-parse", "HEAD"));
        if (sha == null) {
            return "unknown";
        }
        // Generated reports are outputs, not inputs: a batch of runs rewrites them, which must not mark the
        // later runs of the batch as built from modified sources.
        final String status = git(List.of("git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                ":(exclude)perf-reports"));
        return status != null && !status.isEmpty() ? sha + "-dirty" : sha;
    }

    private static String git(List<String> command) {
        try {
            final Path out = Files.createTempFile("fulcrum-git", ".txt");
            try {
                final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return null;
                }
                return process.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8).trim() : null;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
