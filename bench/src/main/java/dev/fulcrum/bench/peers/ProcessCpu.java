package dev.fulcrum.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of a process tree from {@code /proc/<pid>/stat}: utime + stime of the process and of every descendant
 * alive (nginx runs its worker under a master; the sum covers both). Whole processes, all their threads: a JVM's JIT
 * and GC threads are part of what the proxy costs.
 *
 * <p>Stateless apart from the clock tick rate, read once.
 */
public final class ProcessCpu {
    private static final long DEFAULT_TICKS_PER_SECOND = 100;
    /** utime and stime are fields 14 and 15 of stat; after the ")" that ends the command name they are 12 and 13. */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    private static final long TICKS_PER_SECOND = readTicksPerSecond();

    private ProcessCpu() {
    }

    /** Microseconds of CPU the tree rooted at {@code root} has used so far; 0 for a process that is gone. */
    public static long micros(ProcessHandle root) {
        final List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        long ticks = 0;
        for (ProcessHandle process : tree) {
            ticks += ticks(process.pid());
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    static long ticks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return 0; // exited between listing and reading: its CPU is no longer attributable
        }
    }

    /** utime + stime of one {@code /proc/<pid>/stat} line (the command name may hold spaces and parentheses). */
    static long parseTicks(String stat) {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
    }

    public static long ticksPerSecond() {
        return TICKS_PER_SECOND;
    }

    private static long readTicksPerSecond() {
        try {
            final Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_TICKS_PER_SECOND;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_TICKS_PER_SECOND;
    }
}
