package dev.fulcrum.core.config;

import java.util.Objects;

/**
 * A configuration that cannot be used, with where and why:
 * {@code config.yaml:14 services[0].locations[1].backends[0].url: "htp://x" (expected: http or https URL)}.
 *
 * <p>Immutable.
 */
public final class ConfigException extends Exception {
    private final String source;
    private final int line;
    private final String keyPath;
    private final String reason;

    /**
     * @param source  the file name as the user gave it (or another label such as "command line")
     * @param line    1-based line of the offending key or value, or 0 when no line applies
     * @param keyPath dotted key path with list indexes, e.g. {@code services[0].port}, or "" for the whole file
     * @param reason  what is wrong, usually the value followed by {@code (expected: ...)}
     */
    public ConfigException(String source, int line, String keyPath, String reason) {
        this(source, line, keyPath, reason, null);
    }

    public ConfigException(String source, int line, String keyPath, String reason, Throwable cause) {
        super(format(source, line, keyPath, reason), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    static String format(String source, int line, String keyPath, String reason) {
        final StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(' ');
        if (!keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return sb.append(reason).toString();
    }

    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem has no single line (file missing, empty file). */
    public int line() {
        return line;
    }

    public String keyPath() {
        return keyPath;
    }

    public String reason() {
        return reason;
    }
}
