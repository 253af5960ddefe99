package dev.fulcrum.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into a {@link YamlNode} tree that remembers the line of every key and value.
 *
 * <p>One instance per document, confined to the loading thread. Walking Jackson's token stream ourselves is the
 * simplest way to keep token locations, which {@code ObjectMapper.readTree} throws away. Anchors and aliases
 * ({@code &name}, {@code *name}) and merge keys ({@code <<: *name}) are resolved here, because Jackson's streaming
 * parser only reports them; nodes reached through an alias keep the lines where they were written.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final String MERGE_KEY = "<<";

    private final String source;
    private final Map<String, YamlNode> anchors = new HashMap<>();

    private YamlReader(String source) {
        this.source = source;
    }

    /** The document's root, or null for an empty document. */
    static YamlNode read(String yaml, String source) throws ConfigException {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            final YamlNode root = new YamlReader(source).readValue(parser, "");
            if (parser.nextToken() != null) {
                throw new ConfigException(source, lineOf(parser), "",
                        "more than one YAML document (expected: exactly one)");
            }
            return root;
        } catch (JacksonException e) {
            final JsonLocation where = e.getLocation();
            throw new ConfigException(source, where == null ? 0 : Math.max(0, where.getLineNr()), "",
                    "invalid YAML: " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, "", "cannot read YAML: " + e.getMessage(), e);
        }
    }

    /**
     * SnakeYAML's messages span several lines and quote the source with a caret; we already report the line, so
     * keep only the sentences.
     */
    private static String oneLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        final String[] lines = message.split("\\R");
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].trim();
            if (line.startsWith("in 'reader'") || line.startsWith("in 'string'")) {
                i += 2; // the quoted source line and the caret under it
                continue;
            }
            if (!line.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(line);
            }
        }
        return sb.toString();
    }

    private YamlNode readValue(JsonParser parser, String path) throws IOException, ConfigException {
        final int line = lineOf(parser);
        if (parser instanceof YAMLParser && ((YAMLParser) parser).isCurrentAlias()) {
            final String alias = parser.getText();
            final YamlNode target = anchors.get(alias);
            if (target == null) {
                throw new ConfigException(source, line, path, "*" + alias + " (expected: an alias of an anchor"
                        + " defined earlier with &" + alias + ")");
            }
            return target;
        }
        final String anchor = parser.getObjectId() instanceof String ? (String) parser.getObjectId() : null;
        final YamlNode node = readUnaliased(parser, path, line);
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private YamlNode readUnaliased(JsonParser parser, String path, int line) throws IOException, ConfigException {
        final JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readMap(parser, path, line);
            case START_ARRAY: {
                final List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, path + '[' + items.size() + ']'));
                }
                return new YamlNode.ListNode(line, items);
            }
            case VALUE_STRING:
                return new YamlNode.ScalarNode(line, parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.ScalarNode(line, parser.getNumberValue());
            case VALUE_TRUE:
                return new YamlNode.ScalarNode(line, Boolean.TRUE);
            case VALUE_FALSE:
                return new YamlNode.ScalarNode(line, Boolean.FALSE);
            case VALUE_NULL:
                return new YamlNode.ScalarNode(line, null);
            default:
                // Binary (!!binary) and other embedded objects have no meaning in this schema.
                throw new ConfigException(source, line, path, "unsupported YAML value (" + token + ")");
        }
    }

    private YamlNode readMap(JsonParser parser, String path, int line) throws IOException, ConfigException {
        final LinkedHashMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        final List<YamlNode> merges = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String key = parser.currentName();
            final int keyLine = lineOf(parser);
            final String keyPath = path.isEmpty() ? key : path + '.' + key;
            parser.nextToken();
            final YamlNode value = readValue(parser, keyPath);
            if (MERGE_KEY.equals(key)) {
                addMerges(value, keyLine, keyPath, merges);
                continue;
            }
            final YamlNode.Entry previous = entries.put(key, new YamlNode.Entry(key, keyLine, value));
            if (previous != null) {
                // Strict: YAML says keys are unique, and "last one wins" hides typos in long files.
                throw new ConfigException(source, keyLine, keyPath,
                        "duplicate key (first at line " + previous.keyLine() + ")");
            }
        }
        // YAML merge keys: keys written in the mapping itself win over merged ones, earlier merges over later.
        for (YamlNode merge : merges) {
            for (YamlNode.Entry entry : ((YamlNode.MapNode) merge).entries().values()) {
                entries.putIfAbsent(entry.key(), entry);
            }
        }
        return new YamlNode.MapNode(line, entries);
    }

    private void addMerges(YamlNode value, int keyLine, String keyPath, List<YamlNode> merges)
            throws ConfigException {
        if (value instanceof YamlNode.MapNode) {
            merges.add(value);
            return;
        }
        if (value instanceof YamlNode.ListNode) {
            for (YamlNode item : ((YamlNode.ListNode) value).items()) {
                if (!(item instanceof YamlNode.MapNode)) {
                    throw new ConfigException(source, keyLine, keyPath, item.describe()
                            + " (expected: a mapping or list of mappings to merge)");
                }
                merges.add(item);
            }
            return;
        }
        throw new ConfigException(source, keyLine, keyPath,
                value.describe() + " (expected: a mapping or list of mappings to merge)");
    }

    private static int lineOf(JsonParser parser) {
        final JsonLocation location = parser.currentTokenLocation();
        return location == null ? 0 : Math.max(0, location.getLineNr());
    }
}
