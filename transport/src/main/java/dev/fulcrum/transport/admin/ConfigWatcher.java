package dev.fulcrum.transport.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads when a config file changes (modification time, size or file key differ from the last look).
 *
 * <p>Polls instead of using a {@code WatchService}: editors replace files by rename and Kubernetes swaps ConfigMap
 * symlinks, both of which directory watches miss or report twice; a stat per file per second costs nothing. A change
 * is acted on only once the file has stayed the same for one more poll, so a half-written file is not read.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    static final long POLL_MILLIS = 500;

    private final List<Path> files;
    private final Reloader reloader;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "fulcrum-config-watch");
        thread.setDaemon(true);
        return thread;
    });
    private List<Object> lastSeen;
    private List<Object> pending;

    ConfigWatcher(List<Path> files, Reloader reloader) {
        this.files = List.copyOf(files);
        this.reloader = reloader;
        this.lastSeen = look();
        timer.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        final List<Object> now = look();
        if (now.equals(lastSeen)) {
            pending = null;
            return;
        }
        if (!now.equals(pending)) {
            pending = now; // changed since the last poll: wait until it settles
            return;
        }
        lastSeen = now;
        pending = null;
        LOG.info("config file changed: reloading");
        reloader.reload("watch");
    }

    private List<Object> look() {
        final List<Object> out = new ArrayList<>();
        for (Path file : files) {
            try {
                final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                out.add(a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + Objects.toString(a.fileKey()));
            } catch (IOException e) {
                out.add("missing");
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
