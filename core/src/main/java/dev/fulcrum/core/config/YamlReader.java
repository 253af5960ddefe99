package dev.fulcrum.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads one YAML document into a {@link YamlNode} tree that remembers the line of every key and value.
 *
 * <p>Stateless and thread-safe; the factory is shared. Walking Jackson's token stream ourselves is the simplest way
 * to keep token locations, which {@code ObjectMapper.readTree} throws away.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {
    }

    /** The document's root, or null for an empty document. */
    static YamlNode read(String yaml, String source) throws ConfigException {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            final YamlNode root = readValue(parser, source, "");
            if (parser.nextToken() != null) {
                throw new ConfigException(source, lineOf(parser), "",
                        "more than one YAML document (expected: exactly one)");
            }
            return root;
        } catch (JacksonException e) {
            final JsonLocation where = e.getLocation();
            throw new ConfigException(source, where == null ? 0 : Math.max(0, where.getLineNr()), "",
                    "invalid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, "", "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private static YamlNode readValue(JsonParser parser, String source, String path)
            throws IOException, ConfigException {
        final JsonToken token = parser.currentToken();
        final int line = lineOf(parser);
        switch (token) {
            case START_OBJECT:
                return readMap(parser, source, path, line);
            case START_ARRAY: {
                final List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, source, path + '[' + items.size() + ']'));
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

    private static YamlNode readMap(JsonParser parser, String source, String path, int line)
            throws IOException, ConfigException {
        final LinkedHashMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String key = parser.currentName();
            final int keyLine = lineOf(parser);
            final String keyPath = path.isEmpty() ? key : path + '.' + key;
            parser.nextToken();
            final YamlNode value = readValue(parser, source, keyPath);
            final YamlNode.Entry previous = entries.put(key, new YamlNode.Entry(key, keyLine, value));
            if (previous != null) {
                // Strict: YAML says keys are unique, and "last one wins" hides typos in long files.
                throw new ConfigException(source, keyLine, keyPath,
                        "duplicate key (first at line " + previous.keyLine() + ")");
            }
        }
        return new YamlNode.MapNode(line, entries);
    }

    private static int lineOf(JsonParser parser) {
        final JsonLocation location = parser.currentTokenLocation();
        return location == null ? 0 : Math.max(0, location.getLineNr());
    }
}
