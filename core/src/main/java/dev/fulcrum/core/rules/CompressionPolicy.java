package dev.fulcrum.core.rules;

import dev.fulcrum.core.config.CompressionConfig;

import java.util.List;
import java.util.Locale;

/**
 * Which responses of a service the proxy compresses: media types and a size floor, decided once per response
 * without allocating.
 *
 * <p>Immutable. The encoding itself (gzip, and zstd or brotli where their libraries are present) is chosen by the
 * transport from the client's Accept-Encoding q-values. A response the backend already encoded is never encoded
 * again.
 */
public final class CompressionPolicy {
    private final String[] exactTypes;
    private final String[] typePrefixes;
    private final int minBytes;

    private CompressionPolicy(CompressionConfig config) {
        final List<String> types = config.types();
        int wildcards = 0;
        for (String t : types) {
            if (t.endsWith("/*")) {
                wildcards++;
            }
        }
        exactTypes = new String[types.size() - wildcards];
        typePrefixes = new String[wildcards];
        int e = 0;
        int w = 0;
        for (String t : types) {
            final String lower = t.trim().toLowerCase(Locale.ROOT);
            if (lower.endsWith("/*")) {
                typePrefixes[w++] = lower.substring(0, lower.length() - 1); // keeps the '/'
            } else {
                exactTypes[e++] = lower;
            }
        }
        minBytes = config.minBytes();
    }

    /** The policy of a config, or null when compression is off. */
    public static CompressionPolicy of(CompressionConfig config) {
        return config.enabled() ? new CompressionPolicy(config) : null;
    }

    public int minBytes() {
        return minBytes;
    }

    /**
     * @param contentType   the response's Content-Type (parameters allowed), or null
     * @param contentLength the announced length, or -1 when unknown (streamed: compressed, as it may be large)
     */
    public boolean shouldCompress(CharSequence contentType, long contentLength) {
        if (contentLength >= 0 && contentLength < minBytes) {
            return false;
        }
        return isCompressibleType(contentType);
    }

    /** Whether the media type is one this service compresses (the answer then varies by Accept-Encoding). */
    public boolean isCompressibleType(CharSequence contentType) {
        if (contentType == null) {
            return false;
        }
        int end = 0;
        final int n = contentType.length();
        while (end < n && contentType.charAt(end) != ';') {
            end++;
        }
        while (end > 0 && contentType.charAt(end - 1) == ' ') {
            end--;
        }
        for (String exact : exactTypes) {
            if (exact.length() == end && startsWithIgnoreCase(contentType, exact)) {
                return true;
            }
        }
        for (String prefix : typePrefixes) {
            if (end > prefix.length() && startsWithIgnoreCase(contentType, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(CharSequence s, String lowerPrefix) {
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
