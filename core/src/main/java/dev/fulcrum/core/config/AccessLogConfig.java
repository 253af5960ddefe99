package dev.fulcrum.core.config;

import java.util.Map;
import java.util.Objects;

/**
 * The access log: whether, in which format, how much of the traffic, and under which logger name per service.
 *
 * <p>Immutable.
 *
 * @param enabled         false: no access log lines (request ids are still handled per {@code requestId})
 * @param format          {@link #FORMAT_JSON} or {@link #FORMAT_COMBINED}
 * @param sampleRate      fraction of requests logged, 0..1; errors (5xx) are always logged
 * @param requestId       generate X-Request-Id when the client sent none, and forward it upstream
 * @param loggerByService SLF4J logger name per service name (terraster's {@code log_name}); others use
 *                        {@link #DEFAULT_LOGGER}
 */
public record AccessLogConfig(boolean enabled, String format, double sampleRate, boolean requestId,
                              Map<String, String> loggerByService) {
    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_COMBINED = "combined";
    /** The logger of services without {@code log_name}; logback.xml routes "access" loggers to their appender. */
    public static final String DEFAULT_LOGGER = "access";

    public static final AccessLogConfig DEFAULTS = new AccessLogConfig(false, FORMAT_JSON, 1.0, true, Map.of());

    public AccessLogConfig {
        Objects.requireNonNull(format, "format");
        loggerByService = Map.copyOf(loggerByService);
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be in 0..1: " + sampleRate);
        }
    }

    public String loggerFor(String service) {
        return loggerByService.getOrDefault(service, DEFAULT_LOGGER);
    }
}
