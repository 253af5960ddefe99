package dev.fulcrum.transport.admin;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The control thread: the single writer of routing tables and server pools. Admin requests, reloads (SIGHUP, file
 * watch, POST /api/reload) and scheduled checks all run here, one at a time, so no two changes interleave (terraster
 * lost concurrent admin updates).
 *
 * <p>Thread-safe: any thread may submit.
 */
public final class ControlPlane implements AutoCloseable {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        final Thread thread = new Thread(r, "fulcrum-control");
        thread.setDaemon(true);
        return thread;
    });

    /** Runs {@code task} on the control thread; the future completes with its result or exception. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        final CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                future.complete(task.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
