package dev.fulcrum.transport.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's leak reports ("LEAK: ...") so that {@link LeakGuard} can fail the test class that caused them.
 *
 * <p>Thread-safe: appended to from any thread, read by the test thread.
 */
public final class LeakRecordingAppender extends AppenderBase<ILoggingEvent> {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        final String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            REPORTS.add(message);
        }
    }

    /** Returns and forgets the reports collected so far. */
    public static List<String> drain() {
        final List<String> out = List.copyOf(REPORTS);
        REPORTS.clear();
        return out;
    }
}
