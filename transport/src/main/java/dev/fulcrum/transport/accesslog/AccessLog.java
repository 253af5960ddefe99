package dev.fulcrum.transport.accesslog;

import dev.fulcrum.core.config.AccessLogConfig;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes access log lines and decides which requests are logged (sampling) and whether request ids are generated.
 *
 * <p>Immutable and thread-safe; replaced as a whole on reload. {@link #log} runs on event loops: it reuses one
 * {@link StringBuilder} per thread, formats the timestamp once per second per thread, and hands one String to SLF4J.
 */
public final class AccessLog {
    /** No lines; request ids still generated, as by default. */
    public static final AccessLog DISABLED = new AccessLog(AccessLogConfig.DEFAULTS);

    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final FastThreadLocal<LineBuffer> BUFFERS = new FastThreadLocal<>() {
        @Override
        protected LineBuffer initialValue() {
            return new LineBuffer();
        }
    };
    /** Lines longer than this leave their builder to the GC instead of keeping a large one per thread. */
    private static final int MAX_RETAINED_CHARS = 8 * 1024;

    private final AccessLogConfig config;
    private final boolean json;
    private final Logger defaultLogger;
    private final Map<String, Logger> byService;

    public AccessLog(AccessLogConfig config) {
        this.config = config;
        this.json = AccessLogConfig.FORMAT_JSON.equals(config.format());
        this.defaultLogger = LoggerFactory.getLogger(AccessLogConfig.DEFAULT_LOGGER);
        final Map<String, Logger> map = new HashMap<>();
        for (Map.Entry<String, String> e : config.loggerByService().entrySet()) {
            map.put(e.getKey(), LoggerFactory.getLogger(e.getValue()));
        }
        this.byService = Map.copyOf(map);
    }

    public AccessLogConfig config() {
        return config;
    }

    /** Whether the proxy adds X-Request-Id to requests that have none. */
    public boolean generatesRequestIds() {
        return config.requestId();
    }

    /** Whether this exchange gets a line: enabled, logger on, and sampled in (5xx always). */
    public boolean shouldLog(String service, int status) {
        if (!config.enabled()) {
            return false;
        }
        if (status < 500 && config.sampleRate() < 1.0 && ThreadLocalRandom.current().nextDouble() >= config.sampleRate()) {
            return false;
        }
        return logger(service).isInfoEnabled();
    }

    private Logger logger(String service) {
        if (service == null) {
            return defaultLogger;
        }
        final Logger logger = byService.get(service);
        return logger == null ? defaultLogger : logger;
    }

    /** Writes one line. Call only after {@link #shouldLog} said yes. */
    public void log(AccessRecord r) {
        final LineBuffer buffer = BUFFERS.get();
        final StringBuilder sb = buffer.builder;
        sb.setLength(0);
        if (json) {
            json(sb, r);
        } else {
            combined(sb, buffer, r);
        }
        logger(r.service).info(sb.toString());
        if (sb.capacity() > MAX_RETAINED_CHARS) {
            buffer.builder = new StringBuilder(256);
        }
    }

    private static void json(StringBuilder sb, AccessRecord r) {
        sb.append("{\"time\":\"");
        // ISO-8601 with millisecond precision, UTC.
        appendIso(sb, r.epochMillis);
        sb.append("\",\"request_id\":");
        string(sb, r.requestId);
        sb.append(",\"client\":");
        string(sb, r.clientIp);
        sb.append(",\"method\":");
        string(sb, r.method);
        sb.append(",\"uri\":");
        string(sb, r.uri);
        sb.append(",\"protocol\":");
        string(sb, r.protocol);
        sb.append(",\"status\":").append(r.status);
        sb.append(",\"bytes\":").append(r.responseBytes);
        sb.append(",\"duration_ms\":").append(r.durationNanos / 1_000_000).append('.');
        final long micros = (r.durationNanos / 1000) % 1000;
        if (micros < 100) {
            sb.append('0');
        }
        if (micros < 10) {
            sb.append('0');
        }
        sb.append(micros);
        sb.append(",\"service\":");
        string(sb, r.service);
        sb.append(",\"location\":");
        string(sb, r.location);
        sb.append(",\"backend\":");
        string(sb, r.backend);
        sb.append(",\"user_agent\":");
        string(sb, r.userAgent);
        sb.append(",\"referer\":");
        string(sb, r.referer);
        sb.append('}');
    }

    private static void combined(StringBuilder sb, LineBuffer buffer, AccessRecord r) {
        sb.append(r.clientIp).append(" - - [").append(buffer.combinedTime(r.epochMillis)).append("] \"")
                .append(r.method).append(' ');
        printable(sb, r.uri);
        sb.append(' ').append(r.protocol).append("\" ").append(r.status).append(' ').append(r.responseBytes)
                .append(" \"");
        printable(sb, r.referer == null ? "-" : r.referer);
        sb.append("\" \"");
        printable(sb, r.userAgent == null ? "-" : r.userAgent);
        sb.append("\" rt=").append(r.durationNanos / 1_000_000).append("ms backend=")
                .append(r.backend == null ? "-" : r.backend).append(" rid=");
        printable(sb, r.requestId);
    }

    private static void appendIso(StringBuilder sb, long epochMillis) {
        final java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochMillis / 1000,
                (int) (epochMillis % 1000) * 1_000_000, ZoneOffset.UTC);
        sb.append(t.getYear()).append('-');
        two(sb, t.getMonthValue());
        sb.append('-');
        two(sb, t.getDayOfMonth());
        sb.append('T');
        two(sb, t.getHour());
        sb.append(':');
        two(sb, t.getMinute());
        sb.append(':');
        two(sb, t.getSecond());
        sb.append('.');
        final int ms = (int) (epochMillis % 1000);
        if (ms < 100) {
            sb.append('0');
        }
        if (ms < 10) {
            sb.append('0');
        }
        sb.append(ms).append('Z');
    }

    private static void two(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    /** A JSON string literal, or null. Control characters, quotes and backslashes are escaped. */
    static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00");
                sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Text for a combined-format field: quotes and non-printable bytes escaped so a line stays one line. */
    private static void printable(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
    }

    /** Per-thread scratch: the line builder and the last formatted second. */
    private static final class LineBuffer {
        StringBuilder builder = new StringBuilder(256);
        long formattedSecond = Long.MIN_VALUE;
        String formatted;

        String combinedTime(long epochMillis) {
            final long second = epochMillis / 1000;
            if (second != formattedSecond) {
                formattedSecond = second;
                formatted = COMBINED_TIME.format(Instant.ofEpochSecond(second));
            }
            return formatted;
        }
    }
}
