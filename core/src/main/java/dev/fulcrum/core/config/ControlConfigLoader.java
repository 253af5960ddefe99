package dev.fulcrum.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the control-plane sections ({@code api}, {@code auth}, {@code access_log}, {@code reload}, services'
 * {@code log_name}) of a config file, and terraster's separate admin file ({@code api}, {@code auth},
 * {@code database}) given with {@code --api-config}.
 *
 * <p>Stateless; for the control thread. Errors name file, line and key like {@link ConfigLoader}'s. The main file
 * must also pass {@link ConfigLoader} (which knows these keys exist and leaves them to this class).
 */
public final class ControlConfigLoader {
    private static final Set<String> API_KEYS = Set.of("enabled", "host", "bind", "port", "allowed_ips",
            "trusted_proxies", "tls", "insecure", "watch");
    private static final Set<String> API_NOT_BUILT = Set.of("debug");
    private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file", "enabled");
    private static final Set<String> AUTH_KEYS = Set.of("jwt_secret", "jwt_secret_env", "token_ttl", "refresh_ttl",
            "users", "api_keys");
    private static final Set<String> AUTH_NOT_BUILT = Set.of("password_min_length", "password_expiry_days",
            "password_history_limit", "token_cleanup_interval");
    private static final Set<String> USER_KEYS = Set.of("username", "password_hash", "role");
    private static final Set<String> API_KEY_KEYS = Set.of("name", "key", "key_env", "role");
    private static final Set<String> ACCESS_LOG_KEYS = Set.of("enabled", "format", "sample_rate", "request_id");
    private static final Set<String> RELOAD_KEYS = Set.of("watch");
    private static final Set<String> API_FILE_ROOT = Set.of("api", "auth");
    private static final Set<String> API_FILE_NOT_BUILT = Set.of("database");

    private ControlConfigLoader() {
    }

    /**
     * @param mainFile the file {@link ConfigLoader#load} read, or null for a command-line config
     * @param apiFile  terraster's admin file ({@code --api-config}), or null
     */
    public static ControlConfig load(Path mainFile, Path apiFile) throws ConfigException {
        return parse(mainFile == null ? null : read(mainFile), mainFile == null ? null : mainFile.toString(),
                apiFile == null ? null : read(apiFile), apiFile == null ? null : apiFile.toString(), System.getenv());
    }

    static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "", "file not found", e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read file: " + e.getMessage(), e);
        }
    }

    /**
     * @param env where {@code jwt_secret_env} and {@code key_env} are looked up
     */
    public static ControlConfig parse(String mainYaml, String mainSource, String apiYaml, String apiSource,
                                      Map<String, String> env) throws ConfigException {
        final List<String> warnings = new ArrayList<>();
        YamlNode.Entry api = null;
        YamlNode.Entry auth = null;
        YamlNode.Entry accessLog = null;
        YamlNode.Entry reload = null;
        Fields.Loading mainLoading = null;
        final Map<String, String> loggers = new HashMap<>();
        if (mainYaml != null) {
            mainLoading = new Fields.Loading(mainSource, warnings);
            final YamlNode root = YamlReader.read(mainYaml, mainSource);
            if (root instanceof YamlNode.MapNode) {
                final Map<String, YamlNode.Entry> entries = ((YamlNode.MapNode) root).entries();
                api = entries.get("api");
                auth = entries.get("auth");
                accessLog = entries.get("access_log");
                reload = entries.get("reload");
                logNames(mainLoading, entries.get("services"), loggers);
            }
        }
        Fields.Loading apiLoading = mainLoading;
        Fields.Loading authLoading = mainLoading;
        if (apiYaml != null) {
            apiLoading = new Fields.Loading(apiSource, warnings);
            final YamlNode root = YamlReader.read(apiYaml, apiSource);
            if (root == null) {
                throw new ConfigException(apiSource, 0, "", "empty admin configuration (expected: api and auth)");
            }
            final Fields top = Fields.of(apiLoading, root, "", API_FILE_ROOT, API_FILE_NOT_BUILT);
            if (api != null && top.entry("api") != null) {
                throw top.error("api", "api is also set in " + mainSource + " (expected: one of them)");
            }
            if (auth != null && top.entry("auth") != null) {
                throw top.error("auth", "auth is also set in " + mainSource + " (expected: one of them)");
            }
            if (api == null) {
                api = top.entry("api");
            } else {
                apiLoading = mainLoading;
            }
            if (auth == null) {
                auth = top.entry("auth");
                authLoading = apiLoading == mainLoading ? new Fields.Loading(apiSource, warnings) : apiLoading;
            }
        }
        final AuthConfig authConfig = auth == null || isNull(auth) ? AuthConfig.NONE : auth(authLoading, auth, env);
        boolean watch = false;
        if (reload != null && !isNull(reload)) {
            watch = Fields.of(mainLoading, reload.value(), "reload", RELOAD_KEYS, Set.of()).bool("watch", false);
        }
        final AdminConfig admin = api == null || isNull(api) ? AdminConfig.DISABLED
                : admin(apiLoading, api, authConfig, watch);
        final AccessLogConfig access = accessLog == null || isNull(accessLog)
                ? new AccessLogConfig(false, AccessLogConfig.FORMAT_JSON, 1.0, true, loggers)
                : accessLog(mainLoading, accessLog, loggers);
        return new ControlConfig(admin, access, warnings);
    }

    private static boolean isNull(YamlNode.Entry entry) {
        return entry.value() instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) entry.value()).isNull();
    }

    private static void logNames(Fields.Loading loading, YamlNode.Entry services, Map<String, String> loggers)
            throws ConfigException {
        if (services == null || !(services.value() instanceof YamlNode.ListNode)) {
            return;
        }
        final List<YamlNode> items = ((YamlNode.ListNode) services.value()).items();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof YamlNode.MapNode)) {
                continue;
            }
            final Map<String, YamlNode.Entry> e = ((YamlNode.MapNode) items.get(i)).entries();
            final YamlNode.Entry logName = e.get("log_name");
            if (logName == null || isNull(logName)) {
                continue;
            }
            final Object value = logName.value() instanceof YamlNode.ScalarNode
                    ? ((YamlNode.ScalarNode) logName.value()).value() : null;
            if (!(value instanceof String) || ((String) value).isBlank()) {
                throw loading.error(logName.keyLine(), Fields.index("services", i) + ".log_name",
                        logName.value().describe() + " (expected: a logger name)");
            }
            loggers.put(serviceKey(e, i), AccessLogConfig.DEFAULT_LOGGER + '.' + ((String) value).trim());
        }
    }

    /**
     * The service's name as {@link ConfigLoader} derives it for the common cases (configured name, else host, else
     * "default"); the transport falls back to the default logger for a name derived differently.
     */
    private static String serviceKey(Map<String, YamlNode.Entry> entries, int index) {
        for (String key : new String[] {"name", "host"}) {
            final YamlNode.Entry entry = entries.get(key);
            if (entry != null && entry.value() instanceof YamlNode.ScalarNode) {
                final Object value = ((YamlNode.ScalarNode) entry.value()).value();
                if (value instanceof String && !((String) value).isBlank() && !"*".equals(value)) {
                    return key.equals("host") ? ((String) value).trim().toLowerCase(Locale.ROOT) : ((String) value).trim();
                }
            }
        }
        return FulcrumConfig.DEFAULT_SERVICE_NAME;
    }

    private static AdminConfig admin(Fields.Loading loading, YamlNode.Entry entry, AuthConfig auth, boolean watch)
            throws ConfigException {
        final Fields f = Fields.of(loading, entry.value(), "api", API_KEYS, API_NOT_BUILT);
        final boolean enabled = f.bool("enabled", true);
        if (f.entry("host") != null && f.entry("bind") != null) {
            throw f.error("host", "host and bind are both set (expected: one; both name the address to bind)");
        }
        final String bind = f.string(f.entry("bind") != null ? "bind" : "host", AdminConfig.DEFAULT_BIND).trim();
        final int port = f.integer("port", AdminConfig.DEFAULT_PORT, 0, 65535, "an integer 0..65535");
        final List<String> allowed = cidrs(f, "allowed_ips");
        final List<String> trusted = cidrs(f, "trusted_proxies");
        String cert = null;
        String key = null;
        final YamlNode tls = f.node("tls");
        if (tls != null && !(tls instanceof YamlNode.ScalarNode && ((YamlNode.ScalarNode) tls).isNull())) {
            final Fields t = Fields.of(loading, tls, "api.tls", TLS_KEYS, Set.of());
            if (t.bool("enabled", true)) {
                cert = t.string("cert_file", null);
                key = t.string("key_file", null);
                if (cert == null || key == null) {
                    throw t.error(cert == null ? "cert_file" : "key_file",
                            "missing (expected: both cert_file and key_file, PEM; terraster fell back to plain HTTP)");
                }
                for (String k : new String[] {"cert_file", "key_file"}) {
                    if (!Files.isReadable(Path.of(t.string(k, "")))) {
                        throw t.error(k, "\"" + t.string(k, "") + "\" is not a readable file");
                    }
                }
            }
        }
        if (enabled && auth.users().isEmpty() && auth.apiKeys().isEmpty()) {
            throw f.error("enabled", "the admin API is enabled but auth has no users and no api_keys"
                    + " (expected: at least one way to authenticate; nothing answers without it)");
        }
        return new AdminConfig(enabled, bind, port, allowed, trusted, cert, key, auth, watch || f.bool("watch", false));
    }

    private static List<String> cidrs(Fields f, String key) throws ConfigException {
        final List<String> out = new ArrayList<>();
        final List<YamlNode> items = f.list(key);
        for (int i = 0; i < items.size(); i++) {
            final YamlNode item = items.get(i);
            final Object value = item instanceof YamlNode.ScalarNode ? ((YamlNode.ScalarNode) item).value() : null;
            final String text = value == null ? null : value.toString().trim();
            if (text == null || !Cidr.isValid(text)) {
                throw f.error(key, "item " + i + " at line " + item.line() + ": " + item.describe()
                        + " (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
            }
            out.add(text);
        }
        return out;
    }

    private static AuthConfig auth(Fields.Loading loading, YamlNode.Entry entry, Map<String, String> env)
            throws ConfigException {
        final Fields f = Fields.of(loading, entry.value(), "auth", AUTH_KEYS, AUTH_NOT_BUILT);
        String secret = f.string("jwt_secret", null);
        final String secretEnv = f.string("jwt_secret_env", null);
        if (secret != null && secretEnv != null) {
            throw f.error("jwt_secret_env", "jwt_secret and jwt_secret_env are both set (expected: one)");
        }
        if (secretEnv != null) {
            secret = env.get(secretEnv);
            if (secret == null) {
                throw f.error("jwt_secret_env", "environment variable " + secretEnv + " is not set");
            }
        }
        final long accessTtl = f.durationMillis("token_ttl", AuthConfig.DEFAULT_ACCESS_TTL_MILLIS);
        final long refreshTtl = f.durationMillis("refresh_ttl", AuthConfig.DEFAULT_REFRESH_TTL_MILLIS);
        final List<AuthConfig.User> users = new ArrayList<>();
        final List<YamlNode> userNodes = f.list("users");
        final Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < userNodes.size(); i++) {
            final Fields u = Fields.of(loading, userNodes.get(i), Fields.index("auth.users", i), USER_KEYS, Set.of());
            final String name = required(u, "username");
            if (!names.add(name)) {
                throw u.error("username", "duplicate user \"" + name + "\"");
            }
            final String hash = required(u, "password_hash");
            if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw u.error("password_hash", "not a bcrypt hash (expected: $2a$/$2b$/$2y$ as made by"
                        + " `fulcrum hash-password`)");
            }
            users.add(new AuthConfig.User(name, hash, role(u)));
        }
        if (!users.isEmpty()) {
            if (secret == null) {
                throw f.error("jwt_secret", "missing (expected: an HS256 secret of at least "
                        + AuthConfig.MIN_SECRET_BYTES + " bytes when users are configured)");
            }
            if (secret.getBytes(StandardCharsets.UTF_8).length < AuthConfig.MIN_SECRET_BYTES) {
                throw f.error(secretEnv != null ? "jwt_secret_env" : "jwt_secret", "secret is shorter than "
                        + AuthConfig.MIN_SECRET_BYTES + " bytes (expected: a random secret of 32 bytes or more)");
            }
        }
        final List<AuthConfig.ApiKey> keys = new ArrayList<>();
        final List<YamlNode> keyNodes = f.list("api_keys");
        for (int i = 0; i < keyNodes.size(); i++) {
            final Fields k = Fields.of(loading, keyNodes.get(i), Fields.index("auth.api_keys", i), API_KEY_KEYS,
                    Set.of());
            String key = k.string("key", null);
            final String keyEnv = k.string("key_env", null);
            if ((key == null) == (keyEnv == null)) {
                throw k.error("key", "expected exactly one of key and key_env");
            }
            if (keyEnv != null) {
                key = env.get(keyEnv);
                if (key == null) {
                    throw k.error("key_env", "environment variable " + keyEnv + " is not set");
                }
            }
            if (key.length() < 16) {
                throw k.error(keyEnv != null ? "key_env" : "key", "key is shorter than 16 characters");
            }
            keys.add(new AuthConfig.ApiKey(k.string("name", "key" + i), key, role(k)));
        }
        return new AuthConfig(secret, accessTtl, refreshTtl, users, keys);
    }

    private static String required(Fields f, String key) throws ConfigException {
        final String value = f.string(key, null);
        if (value == null || value.isBlank()) {
            throw f.error(key, "missing");
        }
        return value.trim();
    }

    private static AuthConfig.Role role(Fields f) throws ConfigException {
        final String value = f.string("role", "reader").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "admin":
                return AuthConfig.Role.ADMIN;
            case "reader":
                return AuthConfig.Role.READER;
            default:
                throw f.invalid(f.entry("role"), "admin or reader");
        }
    }

    private static AccessLogConfig accessLog(Fields.Loading loading, YamlNode.Entry entry, Map<String, String> loggers)
            throws ConfigException {
        final Fields f = Fields.of(loading, entry.value(), "access_log", ACCESS_LOG_KEYS, Set.of());
        final String format = f.string("format", AccessLogConfig.FORMAT_JSON).trim().toLowerCase(Locale.ROOT);
        if (!format.equals(AccessLogConfig.FORMAT_JSON) && !format.equals(AccessLogConfig.FORMAT_COMBINED)) {
            throw f.invalid(f.entry("format"), "json or combined");
        }
        final YamlNode.Entry rate = f.entry("sample_rate");
        double sample = 1.0;
        if (rate != null) {
            final Object value = rate.value() instanceof YamlNode.ScalarNode
                    ? ((YamlNode.ScalarNode) rate.value()).value() : null;
            if (!(value instanceof Number) || !(((Number) value).doubleValue() >= 0)
                    || ((Number) value).doubleValue() > 1) {
                throw f.invalid(rate, "a number 0..1");
            }
            sample = ((Number) value).doubleValue();
        }
        return new AccessLogConfig(f.bool("enabled", true), format, sample, f.bool("request_id", true), loggers);
    }
}
