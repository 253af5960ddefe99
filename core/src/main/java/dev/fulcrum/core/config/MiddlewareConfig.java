package dev.fulcrum.core.config;

import java.util.Objects;

/**
 * The middleware a service runs, after merging the global {@code middleware} list with the service's own.
 *
 * <p>Immutable.
 *
 * @param security the security headers ({@link SecurityConfig#OFF} when not configured)
 * @param cors     the CORS policy ({@link CorsConfig#OFF} when not configured)
 * @param compression response compression ({@link CompressionConfig#OFF} when not configured)
 */
public record MiddlewareConfig(SecurityConfig security, CorsConfig cors, CompressionConfig compression) {

    public static final MiddlewareConfig NONE =
            new MiddlewareConfig(SecurityConfig.OFF, CorsConfig.OFF, CompressionConfig.OFF);

    public MiddlewareConfig(SecurityConfig security, CorsConfig cors) {
        this(security, cors, CompressionConfig.OFF);
    }

    public MiddlewareConfig {
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(compression, "compression");
    }
}
