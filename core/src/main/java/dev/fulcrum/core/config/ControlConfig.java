package dev.fulcrum.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The control-plane part of a configuration: the admin listener and the access log.
 *
 * <p>Immutable. Read by {@link ControlConfigLoader} from the main file (and terraster's separate API file) next to
 * the {@link FulcrumConfig} of the same files.
 *
 * @param admin     the admin API listener, or {@link AdminConfig#DISABLED}
 * @param accessLog the access log settings
 * @param warnings  keys accepted but not acted on, as {@code file:line key: why}
 */
public record ControlConfig(AdminConfig admin, AccessLogConfig accessLog, List<String> warnings) {
    public static final ControlConfig DEFAULTS = new ControlConfig(AdminConfig.DISABLED, AccessLogConfig.DEFAULTS,
            List.of());

    public ControlConfig {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(accessLog, "accessLog");
        warnings = List.copyOf(warnings);
    }
}
