package dev.fulcrum.core.config;

import java.util.List;
import java.util.Objects;

/**
 * Admin API authentication: the JWT signing secret and lifetimes, the users who may log in, and static API keys.
 *
 * <p>Immutable. Secrets are held as given (from the file or from the environment variable the file names).
 *
 * @param jwtSecret          HS256 key; null when no user is configured (then only API keys authenticate)
 * @param accessTtlMillis    lifetime of an access token
 * @param refreshTtlMillis   lifetime of a refresh token
 * @param users              users allowed to log in, with bcrypt password hashes
 * @param apiKeys            static bearer keys
 */
public record AuthConfig(String jwtSecret, long accessTtlMillis, long refreshTtlMillis, List<User> users,
                         List<ApiKey> apiKeys) {

    /** terraster's access token lifetime. */
    public static final long DEFAULT_ACCESS_TTL_MILLIS = 15 * 60_000L;
    /** A working day: an operator logs in once, refreshes silently. */
    public static final long DEFAULT_REFRESH_TTL_MILLIS = 8 * 3_600_000L;
    /** HS256 keys shorter than the hash output (RFC 7518 §3.2) are refused. */
    public static final int MIN_SECRET_BYTES = 32;

    public static final AuthConfig NONE = new AuthConfig(null, DEFAULT_ACCESS_TTL_MILLIS, DEFAULT_REFRESH_TTL_MILLIS,
            List.of(), List.of());

    public AuthConfig {
        users = List.copyOf(users);
        apiKeys = List.copyOf(apiKeys);
    }

    /** Admin roles: admin may change things, reader may only look. */
    public enum Role {
        ADMIN, READER;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** True when this role may do what {@code required} may. */
        public boolean allows(Role required) {
            return this == ADMIN || this == required;
        }
    }

    /**
     * @param username     login name
     * @param passwordHash bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$})
     * @param role         what the user may do
     */
    public record User(String username, String passwordHash, Role role) {
        public User {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(role, "role");
        }
    }

    /**
     * @param name label for logs (never the key itself)
     * @param key  the secret bearer value
     * @param role what the key may do
     */
    public record ApiKey(String name, String key, Role role) {
        public ApiKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String toString() {
            return "ApiKey{" + name + ' ' + role + '}';
        }
    }
}
