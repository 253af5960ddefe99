package dev.fulcrum.core.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, line-aware access to the keys of one YAML mapping, for {@link ConfigLoader}.
 *
 * <p>Confined to the loading thread. Construction rejects unknown keys and records warnings for keys that are
 * accepted for features Fulcrum has not built yet, so each mapping is checked exactly once, in document order.
 */
final class Fields {
    static final String NOT_BUILT = "accepted, but Fulcrum has not built this feature yet: ignored";
    /** Top-level keys with this prefix are ignored, as in Docker Compose: they exist to define anchors. */
    static final String EXTENSION_PREFIX = "x-";

    private final Loading loading;
    private final YamlNode.MapNode map;
    private final String path;

    private Fields(Loading loading, YamlNode.MapNode map, String path) {
        this.loading = loading;
        this.map = map;
        this.path = path;
    }

    /**
     * @param node     the value that must be a mapping
     * @param path     its key path ("" for the root)
     * @param known    keys this mapping implements
     * @param notBuilt keys accepted with a warning (terraster features Fulcrum has not built yet)
     */
    static Fields of(Loading loading, YamlNode node, String path, Set<String> known, Set<String> notBuilt)
            throws ConfigException {
        if (!(node instanceof YamlNode.MapNode)) {
            throw loading.error(node.line(), path, node.describe() + " (expected: a mapping)");
        }
        final YamlNode.MapNode map = (YamlNode.MapNode) node;
        for (YamlNode.Entry entry : map.entries().values()) {
            final String keyPath = child(path, entry.key());
            if (path.isEmpty() && entry.key().startsWith(EXTENSION_PREFIX)) {
                continue; // top-level "x-..." keys only hold YAML anchors for reuse elsewhere
            }
            if (notBuilt.contains(entry.key())) {
                loading.warn(entry.keyLine(), keyPath, NOT_BUILT);
            } else if (!known.contains(entry.key())) {
                final TreeSet<String> expected = new TreeSet<>(known);
                expected.addAll(notBuilt);
                throw loading.error(entry.keyLine(), keyPath,
                        "unknown key (expected one of: " + String.join(", ", expected) + ")");
            }
        }
        return new Fields(loading, map, path);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + '.' + key;
    }

    static String index(String path, int i) {
        return path + '[' + i + ']';
    }

    String path() {
        return path;
    }

    String path(String key) {
        return child(path, key);
    }

    /** Line where the mapping starts: where a missing key is reported. */
    int line() {
        return map.line();
    }

    /** The entry for a key, or null when absent or explicitly null ({@code key:} or {@code key: ~}). */
    YamlNode.Entry entry(String key) {
        final YamlNode.Entry entry = map.entries().get(key);
        if (entry == null) {
            return null;
        }
        final YamlNode value = entry.value();
        if (value instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) value).isNull()) {
            return null;
        }
        return entry;
    }

    /** True when the key is written at all, even with a null value. */
    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    int lineOf(String key) {
        final YamlNode.Entry entry = map.entries().get(key);
        return entry == null ? map.line() : entry.keyLine();
    }

    ConfigException error(String key, String reason) {
        return loading.error(lineOf(key), path(key), reason);
    }

    /** An error whose reason is the value as written followed by what was expected. */
    ConfigException invalid(YamlNode.Entry entry, String expected) {
        return loading.error(entry.keyLine(), path(entry.key()),
                entry.value().describe() + " (expected: " + expected + ")");
    }

    void warn(String key, String message) {
        loading.warn(lineOf(key), path(key), message);
    }

    String string(String key, String defaultValue) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return defaultValue;
        }
        final Object value = scalar(entry);
        if (!(value instanceof String)) {
            throw invalid(entry, "a string");
        }
        return (String) value;
    }

    boolean bool(String key, boolean defaultValue) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return defaultValue;
        }
        final Object value = scalar(entry);
        if (!(value instanceof Boolean)) {
            throw invalid(entry, "true or false");
        }
        return (Boolean) value;
    }

    int integer(String key, int defaultValue, int min, int max, String expected) throws ConfigException {
        return (int) longInteger(key, defaultValue, min, max, expected);
    }

    long longInteger(String key, long defaultValue, long min, long max, String expected) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return defaultValue;
        }
        final Object value = scalar(entry);
        if (!isInteger(value)) {
            throw invalid(entry, expected);
        }
        final BigInteger n = new BigInteger(value.toString());
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(entry, expected);
        }
        return n.longValue();
    }

    /** A finite number (integer or decimal) in [min, max]. */
    double number(String key, double defaultValue, double min, double max, String expected) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return defaultValue;
        }
        final Object value = scalar(entry);
        if (!(value instanceof Number)) {
            throw invalid(entry, expected);
        }
        final double d = ((Number) value).doubleValue();
        if (!(d >= min && d <= max)) {
            throw invalid(entry, expected);
        }
        return d;
    }

    /**
     * A positive duration in whole milliseconds: a Go duration string, or an integer number of nanoseconds as Go's
     * YAML decoding of {@code time.Duration} reads it (terraster compatibility).
     */
    long durationMillis(String key, long defaultMillis) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return defaultMillis;
        }
        final String expected = "a positive duration such as \"10s\", \"500ms\" or \"1m30s\"";
        final Object value = scalar(entry);
        final long nanos;
        if (isInteger(value)) {
            final BigInteger n = new BigInteger(value.toString());
            if (n.bitLength() > 63) {
                throw invalid(entry, expected);
            }
            nanos = n.longValue();
        } else if (value instanceof String) {
            try {
                nanos = Durations.parseNanos((String) value);
            } catch (IllegalArgumentException e) {
                throw invalid(entry, expected);
            }
        } else {
            throw invalid(entry, expected);
        }
        if (nanos <= 0) {
            throw invalid(entry, expected);
        }
        if (nanos < 1_000_000L) {
            // A bare integer is nanoseconds in Go; "connect: 10" almost certainly meant seconds.
            throw invalid(entry, "at least 1ms; integer durations are nanoseconds, write e.g. \"10s\"");
        }
        return Durations.toMillisCeil(nanos);
    }

    /** The items of a list value, or an empty list when absent or null. */
    List<YamlNode> list(String key) throws ConfigException {
        final YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return List.of();
        }
        if (!(entry.value() instanceof YamlNode.ListNode)) {
            throw invalid(entry, "a list");
        }
        return ((YamlNode.ListNode) entry.value()).items();
    }

    /** A nested mapping, or null when absent or null. */
    YamlNode node(String key) {
        final YamlNode.Entry entry = entry(key);
        return entry == null ? null : entry.value();
    }

    private Object scalar(YamlNode.Entry entry) throws ConfigException {
        if (!(entry.value() instanceof YamlNode.ScalarNode)) {
            throw loading.error(entry.keyLine(), path(entry.key()),
                    entry.value().describe() + " (expected: a single value)");
        }
        return ((YamlNode.ScalarNode) entry.value()).value();
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    /** Source name and collected warnings of one load. */
    static final class Loading {
        private final String source;
        private final List<String> warnings;

        Loading(String source, List<String> warnings) {
            this.source = source;
            this.warnings = warnings;
        }

        String source() {
            return source;
        }

        ConfigException error(int line, String keyPath, String reason) {
            return new ConfigException(source, line, keyPath, reason);
        }

        void warn(int line, String keyPath, String message) {
            warnings.add(ConfigException.format(source, line, keyPath, message));
        }
    }
}
