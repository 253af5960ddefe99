package dev.fulcrum.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A header value with placeholders, parsed once: {@code ${remote_addr}}, {@code ${host}}, {@code ${uri}},
 * {@code ${method}} (terraster's set, same meanings).
 *
 * <p>Immutable. A value without placeholders renders to the same String instance every time, so the common case
 * allocates nothing per request.
 */
public final class HeaderTemplate {
    /** The client's address as {@code ip:port} (terraster's RemoteAddr). */
    public static final int REMOTE_ADDR = 0;
    /** The Host header sent to the backend. */
    public static final int HOST = 1;
    /** The request target as the client sent it, before any rewrite, with its query. */
    public static final int URI = 2;
    /** The request method. */
    public static final int METHOD = 3;

    private static final String[] NAMES = {"remote_addr", "host", "uri", "method"};

    /** Literal parts; {@code parts[i]} precedes placeholder {@code kinds[i]}, and {@code parts[n]} ends the value. */
    private final String[] parts;
    private final int[] kinds;
    private final String constant;
    private final int literalLength;

    private HeaderTemplate(String[] parts, int[] kinds) {
        this.parts = parts;
        this.kinds = kinds;
        this.constant = kinds.length == 0 ? parts[0] : null;
        int length = 0;
        for (String part : parts) {
            length += part.length();
        }
        this.literalLength = length;
    }

    /**
     * @throws IllegalArgumentException naming an unknown or unterminated placeholder
     */
    public static HeaderTemplate parse(String value) {
        final List<String> parts = new ArrayList<>();
        final List<Integer> kinds = new ArrayList<>();
        final StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            final int open = value.indexOf("${", i);
            if (open < 0) {
                literal.append(value, i, value.length());
                break;
            }
            final int close = value.indexOf('}', open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unterminated placeholder at \"" + value.substring(open) + "\"");
            }
            final String name = value.substring(open + 2, close);
            final int kind = kindOf(name);
            if (kind < 0) {
                throw new IllegalArgumentException("unknown placeholder ${" + name
                        + "} (expected one of ${remote_addr}, ${host}, ${uri}, ${method})");
            }
            literal.append(value, i, open);
            parts.add(literal.toString());
            literal.setLength(0);
            kinds.add(kind);
            i = close + 1;
        }
        parts.add(literal.toString());
        final int[] kindArray = new int[kinds.size()];
        for (int k = 0; k < kindArray.length; k++) {
            kindArray[k] = kinds.get(k);
        }
        return new HeaderTemplate(parts.toArray(new String[0]), kindArray);
    }

    private static int kindOf(String name) {
        for (int k = 0; k < NAMES.length; k++) {
            if (NAMES[k].equals(name)) {
                return k;
            }
        }
        return -1;
    }

    /** True when the value has no placeholder. */
    public boolean isConstant() {
        return constant != null;
    }

    /** The value for one exchange; the same instance each call when {@link #isConstant()}. */
    public String render(RequestFacts facts) {
        if (constant != null) {
            return constant;
        }
        final StringBuilder sb = new StringBuilder(literalLength + 32 * kinds.length);
        for (int k = 0; k < kinds.length; k++) {
            sb.append(parts[k]);
            final CharSequence value = facts.fact(kinds[k]);
            if (value != null) {
                sb.append(value);
            }
        }
        return sb.append(parts[kinds.length]).toString();
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        for (int k = 0; k < kinds.length; k++) {
            sb.append(parts[k]).append("${").append(NAMES[kinds[k]]).append('}');
        }
        return sb.append(parts[kinds.length]).toString();
    }
}
