package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.HeadersConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One direction (request or response) of a service's custom header rules: names to remove, then names to set.
 *
 * <p>Immutable; built once per service. Names are lower-cased at build time (header names are case-insensitive and
 * HTTP/2 requires lower case). The transport walks the arrays directly, so applying the rules allocates only the
 * rendered values that carry placeholders.
 */
public final class HeaderRules {
    public static final HeaderRules NONE = new HeaderRules(new String[0], new String[0], new HeaderTemplate[0]);

    private final String[] removals;
    private final String[] names;
    private final HeaderTemplate[] values;

    private HeaderRules(String[] removals, String[] names, HeaderTemplate[] values) {
        this.removals = removals;
        this.names = names;
        this.values = values;
    }

    /** The request-side rules of a {@code headers} block. */
    public static HeaderRules request(HeadersConfig config) {
        return of(config.removeRequestHeaders(), config.requestHeaders());
    }

    /** The response-side rules of a {@code headers} block. */
    public static HeaderRules response(HeadersConfig config) {
        return of(config.removeResponseHeaders(), config.responseHeaders());
    }

    /**
     * True for the headers that frame a message or manage its connection: Fulcrum sets them for each hop, so a
     * rule that set or removed one could make a response's length disagree with its body (or smuggle a request).
     */
    public static boolean isFraming(String lowerCaseName) {
        return lowerCaseName.equals("content-length") || lowerCaseName.equals("transfer-encoding")
                || lowerCaseName.equals("connection");
    }

    /**
     * @throws IllegalArgumentException for a value with an unknown placeholder, or a framing header
     *                                  ({@link #isFraming}) set or removed (ConfigLoader reports both with a line
     *                                  first; this guards rules built in code)
     */
    public static HeaderRules of(List<String> remove, Map<String, String> set) {
        if (remove.isEmpty() && set.isEmpty()) {
            return NONE;
        }
        final String[] removals = new String[remove.size()];
        for (int i = 0; i < removals.length; i++) {
            removals[i] = checked(remove.get(i).toLowerCase(Locale.ROOT));
        }
        final String[] names = new String[set.size()];
        final HeaderTemplate[] values = new HeaderTemplate[set.size()];
        int i = 0;
        for (Map.Entry<String, String> e : set.entrySet()) {
            names[i] = checked(e.getKey().toLowerCase(Locale.ROOT));
            values[i] = HeaderTemplate.parse(e.getValue());
            i++;
        }
        return new HeaderRules(removals, names, values);
    }

    private static String checked(String lowerCaseName) {
        if (isFraming(lowerCaseName)) {
            throw new IllegalArgumentException(lowerCaseName + " frames the message: Fulcrum sets it, rules cannot");
        }
        return lowerCaseName;
    }

    public boolean isEmpty() {
        return removals.length == 0 && names.length == 0;
    }

    /** Lower-case names removed first. The array is shared: do not modify. */
    public String[] removals() {
        return removals;
    }

    /** Lower-case names set after the removals, replacing any value; parallel to {@link #values()}. */
    public String[] names() {
        return names;
    }

    public HeaderTemplate[] values() {
        return values;
    }
}
