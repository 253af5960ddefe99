package dev.fulcrum.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on: mapping, sequence or scalar.
 *
 * <p>Immutable once {@link YamlReader} has built it. Jackson's own tree drops token locations, and every config error
 * must name a line, hence this small tree of our own.
 */
abstract class YamlNode {
    private final int line;

    private YamlNode(int line) {
        this.line = line;
    }

    /** 1-based line where the value starts. */
    final int line() {
        return line;
    }

    /** How the value reads in an error message: scalars as written (strings quoted), collections by kind. */
    abstract String describe();

    /** A mapping; keys in document order, each with the line of the key itself. */
    static final class MapNode extends YamlNode {
        private final Map<String, Entry> entries;

        MapNode(int line, LinkedHashMap<String, Entry> entries) {
            super(line);
            this.entries = Collections.unmodifiableMap(entries);
        }

        Map<String, Entry> entries() {
            return entries;
        }

        @Override
        String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping: the key's line and its value (a {@link ScalarNode} holding null for {@code key:}). */
    record Entry(String key, int keyLine, YamlNode value) {
    }

    /** A sequence. */
    static final class ListNode extends YamlNode {
        private final List<YamlNode> items;

        ListNode(int line, List<YamlNode> items) {
            super(line);
            this.items = List.copyOf(items);
        }

        List<YamlNode> items() {
            return items;
        }

        @Override
        String describe() {
            return "a list";
        }
    }

    /** A scalar: a String, Boolean, Number, or null for YAML null ({@code ~}, {@code null} or nothing). */
    static final class ScalarNode extends YamlNode {
        private static final int MAX_SHOWN_CHARS = 80;
        private final Object value;

        ScalarNode(int line, Object value) {
            super(line);
            this.value = value;
        }

        Object value() {
            return value;
        }

        boolean isNull() {
            return value == null;
        }

        @Override
        String describe() {
            if (value == null) {
                return "null";
            }
            if (!(value instanceof String)) {
                return value.toString();
            }
            final String s = (String) value;
            final String shown = s.length() > MAX_SHOWN_CHARS ? s.substring(0, MAX_SHOWN_CHARS) + "..." : s;
            final StringBuilder sb = new StringBuilder(shown.length() + 2).append('"');
            for (int i = 0; i < shown.length(); i++) {
                final char c = shown.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
    }
}
