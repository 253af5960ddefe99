package dev.fulcrum.bench.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One proxy process under test: started with its output in a log file, ready when it answers a probe with 200,
 * stopped with SIGTERM and, after a grace period, SIGKILL for it and every descendant (nginx's worker).
 *
 * <p>Started, probed and closed by one thread; {@link #close()} may also run from a shutdown hook, and is idempotent.
 */
final class PeerProcess implements AutoCloseable {
    private static final long STOP_GRACE_MILLIS = 5_000;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final long PROBE_PAUSE_MILLIS = 200;
    private static final int LOG_TAIL_LINES = 20;

    private final String name;
    private final Process process;
    private final Path log;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static PeerProcess start(String name, List<String> command, Path log) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new PeerProcess(name, process, log);
    }

    /** Waits until {@code probe} answers 200; fails with the log's tail when the process exits or time runs out. */
    void awaitReady(URI probe, Duration timeout) throws IOException, InterruptedException {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        final HttpRequest request = HttpRequest.newBuilder(probe).timeout(PROBE_TIMEOUT).GET().build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " during start-up; "
                        + logTail());
            }
            try {
                final HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(PROBE_PAUSE_MILLIS);
        }
        throw new IOException(name + " not ready on " + probe + " after " + timeout.toSeconds() + " s (" + last
                + "); " + logTail());
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String name() {
        return name;
    }

    private String logTail() {
        try {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "log " + log + " unreadable: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        final List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }
}
