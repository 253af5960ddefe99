package dev.fulcrum.transport.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the transport: the forced one if it is available, else the fastest available one.
 *
 * <p>Stateless; logs its reasoning once per call so that an operator sees why io_uring was not used.
 */
public final class TransportChooser {
    private static final Logger LOG = LoggerFactory.getLogger(TransportChooser.class);

    private TransportChooser() {
    }

    /**
     * @param requested a config name ({@code auto}, {@code io_uring}, {@code epoll}, {@code nio}) or null for auto
     * @throws TransportUnavailableException when a forced transport cannot run here
     * @throws IllegalArgumentException      when the name is unknown
     */
    public static TransportKind choose(String requested) {
        final TransportKind forced = TransportKind.fromConfigName(requested);
        if (forced != null) {
            final Throwable cause = forced.unavailabilityCause();
            if (cause != null) {
                throw new TransportUnavailableException("transport " + forced.configName()
                        + " was requested but is unavailable here: " + describe(cause), cause);
            }
            LOG.info("transport {} (forced by configuration)", forced.configName());
            return forced;
        }
        final StringBuilder skipped = new StringBuilder();
        for (TransportKind kind : TransportKind.values()) {
            final Throwable cause = kind.unavailabilityCause();
            if (cause == null) {
                if (skipped.length() == 0) {
                    LOG.info("transport {} (auto: fastest available)", kind.configName());
                } else {
                    LOG.info("transport {} (auto; skipped {})", kind.configName(), skipped);
                }
                return kind;
            }
            if (skipped.length() > 0) {
                skipped.append("; ");
            }
            skipped.append(kind.configName()).append(": ").append(describe(cause));
        }
        throw new IllegalStateException("NIO is always available");
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
