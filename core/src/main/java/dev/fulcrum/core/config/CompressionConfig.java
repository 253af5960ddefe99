package dev.fulcrum.core.config;

import java.util.List;

/**
 * The {@code compression} middleware: which responses the proxy compresses for clients that accept it.
 *
 * <p>Immutable. terraster's {@code compression: true} is {@code enabled} with the defaults below; a mapping sets
 * the fields. A service block overrides the global one field by field (terraster ignored global compression).
 *
 * @param enabled  compress at all
 * @param minBytes responses announcing a smaller Content-Length are sent as they are (compression would not pay)
 * @param types    media types compressed (parameters ignored); an entry ending in {@code /*} matches a whole type
 */
public record CompressionConfig(boolean enabled, int minBytes, List<String> types) {
    /** Below about one TCP segment the saved bytes do not pay for the CPU and the gzip framing. */
    public static final int DEFAULT_MIN_BYTES = 1024;
    /** Text formats; images, video, archives and fonts are already compressed. */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/javascript",
            "application/xml", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
            "application/ld+json", "application/manifest+json", "application/wasm", "image/svg+xml");

    public static final CompressionConfig OFF = new CompressionConfig(false, DEFAULT_MIN_BYTES, DEFAULT_TYPES);

    public CompressionConfig {
        if (minBytes < 0) {
            throw new IllegalArgumentException("minBytes must not be negative: " + minBytes);
        }
        types = List.copyOf(types);
    }
}
