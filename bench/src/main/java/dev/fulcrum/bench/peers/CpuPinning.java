package dev.fulcrum.bench.peers;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Core placement with {@code taskset}: this JVM (load generator and origins) on one core for the length of a
 * comparison, each proxy started on another. Restores this JVM's original affinity on close, so a test JVM that ran a
 * comparison gets its cores back.
 *
 * <p>Used by one thread.
 */
final class CpuPinning implements AutoCloseable {
    private final Path taskset;
    private final String originalMask;

    private CpuPinning(Path taskset, String originalMask) {
        this.taskset = taskset;
        this.originalMask = originalMask;
    }

    /**
     * Pins every thread of this JVM (and the threads they start later) to {@code cpu}; without taskset, or when the
     * cores asked for do not exist, prints why and pins nothing.
     */
    static CpuPinning pinSelf(int cpu, int proxyCpu, Consumer<String> log) {
        final Path taskset = Executables.find("taskset");
        final int cores = Runtime.getRuntime().availableProcessors();
        if (taskset == null) {
            log.accept("compare-peers: not pinning to cores: taskset not found (apt-get install util-linux)");
            return new CpuPinning(null, null);
        }
        if (cpu == proxyCpu || Math.max(cpu, proxyCpu) >= cores) {
            log.accept("compare-peers: not pinning to cores: load core " + cpu + " and proxy core " + proxyCpu
                    + " must differ and exist (" + cores + " cores available)");
            return new CpuPinning(null, null);
        }
        final String pid = Long.toString(ProcessHandle.current().pid());
        final String line = Executables.firstLine(List.of(taskset.toString(), "-p", pid));
        final String mask = line == null ? null : line.substring(line.lastIndexOf(':') + 1).trim();
        if (mask == null || Executables.output(List.of(taskset.toString(), "-a", "-p", "-c", Integer.toString(cpu),
                pid)) == null) {
            log.accept("compare-peers: not pinning to cores: taskset could not set this process's affinity");
            return new CpuPinning(null, null);
        }
        return new CpuPinning(taskset, mask);
    }

    /** The command prefix that starts a process on {@code cpu}; empty when pinning is off. */
    List<String> prefix(int cpu) {
        return taskset == null ? List.of() : List.of(taskset.toString(), "-c", Integer.toString(cpu));
    }

    boolean active() {
        return taskset != null;
    }

    @Override
    public void close() {
        if (taskset != null) {
            Executables.output(List.of(taskset.toString(), "-a", "-p", originalMask,
                    Long.toString(ProcessHandle.current().pid())));
        }
    }
}
