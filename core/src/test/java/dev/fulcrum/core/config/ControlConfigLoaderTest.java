package dev.fulcrum.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlConfigLoaderTest {
    private static final String HASH = "$2b$04$" + "a".repeat(53);
    private static final String SECRET = "s".repeat(32);

    private static ControlConfig parse(String main) throws ConfigException {
        return ControlConfigLoader.parse(main, "c.yaml", null, null, Map.of());
    }

    private static void assertRejected(String main, String prefix) {
        final ConfigException e = assertThrows(ConfigException.class, () -> parse(main));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void noApiSectionMeansNoAdminListener() throws ConfigException {
        final ControlConfig config = parse("backends:\n  - url: http://b:1\n");
        assertFalse(config.admin().enabled());
        assertFalse(config.accessLog().enabled());
        assertTrue(config.accessLog().requestId());
    }

    @Test
    void readsApiAuthAndAccessLog() throws ConfigException {
        final ControlConfig config = parse("api:\n  port: 9191\n  allowed_ips: [10.0.0.0/8, '::1']\n"
                + "  trusted_proxies: [192.168.0.1]\nauth:\n  jwt_secret: " + SECRET + "\n  token_ttl: 5m\n"
                + "  users:\n    - {username: u, password_hash: '" + HASH + "', role: admin}\n"
                + "access_log:\n  format: combined\n  sample_rate: 0.25\n"
                + "services:\n  - name: shop\n    log_name: shop-log\n    locations: []\n");
        assertTrue(config.admin().enabled());
        assertEquals(9191, config.admin().port());
        assertEquals("127.0.0.1", config.admin().bind());
        assertEquals(2, config.admin().allowedCidrs().size());
        assertEquals(300_000L, config.admin().auth().accessTtlMillis());
        assertEquals(AuthConfig.Role.ADMIN, config.admin().auth().users().get(0).role());
        assertEquals("combined", config.accessLog().format());
        assertEquals(0.25, config.accessLog().sampleRate());
        assertEquals("access.shop-log", config.accessLog().loggerFor("shop"));
        assertEquals("access", config.accessLog().loggerFor("other"));
    }

    @Test
    void secretsAndKeysComeFromTheEnvironment() throws ConfigException {
        final ControlConfig config = ControlConfigLoader.parse("api: {}\nauth:\n  jwt_secret_env: S\n"
                + "  users:\n    - {username: u, password_hash: '" + HASH + "'}\n"
                + "  api_keys:\n    - {name: ci, key_env: K, role: reader}\n", "c.yaml", null, null,
                Map.of("S", SECRET, "K", "k".repeat(20)));
        assertEquals(SECRET, config.admin().auth().jwtSecret());
        assertEquals("k".repeat(20), config.admin().auth().apiKeys().get(0).key());
        assertEquals(AuthConfig.Role.READER, config.admin().auth().users().get(0).role());
        assertRejected("api: {}\nauth:\n  api_keys:\n    - {key_env: MISSING}\n",
                "c.yaml:4 auth.api_keys[0].key_env: environment variable MISSING is not set");
    }

    @Test
    void refusesWhatTerrasterAccepted() {
        assertRejected("api: {}\n", "c.yaml:1 api.enabled: the admin API is enabled but auth has no users");
        assertRejected("api: {}\nauth:\n  jwt_secret: short\n  users:\n    - {username: u, password_hash: '"
                + HASH + "'}\n", "c.yaml:3 auth.jwt_secret: secret is shorter than 32 bytes");
        assertRejected("api: {}\nauth:\n  users:\n    - {username: u, password_hash: '" + HASH + "'}\n",
                "c.yaml:3 auth.jwt_secret: missing");
        assertRejected("api: {}\nauth:\n  jwt_secret: " + SECRET + "\n  users:\n"
                + "    - {username: u, password_hash: plain}\n", "c.yaml:5 auth.users[0].password_hash: not a bcrypt");
        assertRejected("api:\n  allowed_ips: [10.0.0.0/33]\nauth:\n  api_keys:\n    - {key: " + "k".repeat(16)
                + "}\n", "c.yaml:2 api.allowed_ips: item 0");
        assertRejected("api:\n  allowed_ips: [example.com]\nauth:\n  api_keys:\n    - {key: " + "k".repeat(16)
                + "}\n", "c.yaml:2 api.allowed_ips: item 0");
        assertRejected("api:\n  colour: red\n", "c.yaml:2 api.colour: unknown key");
        assertRejected("access_log:\n  format: xml\n", "c.yaml:2 access_log.format: \"xml\" (expected: json or combined)");
        assertRejected("access_log:\n  sample_rate: 2\n", "c.yaml:2 access_log.sample_rate:");
    }

    @Test
    void terrasterAdminFileIsReadWithItsOwnName() throws ConfigException {
        final String api = "api:\n  enabled: true\n  port: 8081\n  host: 127.0.0.2\n  insecure: true\n"
                + "database:\n  path: ./api.db\nauth:\n  jwt_secret: " + SECRET + "\n  password_expiry_days: 90\n"
                + "  users:\n    - {username: u, password_hash: '" + HASH + "'}\n";
        final ControlConfig config = ControlConfigLoader.parse("backends: []\n", "main.yaml", api, "api.yaml",
                Map.of());
        assertEquals(8081, config.admin().port());
        assertEquals("127.0.0.2", config.admin().bind());
        assertTrue(config.warnings().stream().anyMatch(w -> w.startsWith("api.yaml:6 database:")),
                config.warnings()::toString);
        assertTrue(config.warnings().stream().anyMatch(w -> w.startsWith("api.yaml:10 auth.password_expiry_days:")),
                config.warnings()::toString);
        final ConfigException both = assertThrows(ConfigException.class, () -> ControlConfigLoader.parse(
                "api: {port: 1}\n", "main.yaml", api, "api.yaml", Map.of()));
        assertTrue(both.getMessage().startsWith("api.yaml:1 api: api is also set in main.yaml"), both.getMessage());
    }

    @Test
    void cidrsMatchTheirNetworksOnly() throws Exception {
        final Cidr ten = Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(java.net.InetAddress.getByName("10.200.1.1")));
        assertFalse(ten.contains(java.net.InetAddress.getByName("11.0.0.1")));
        assertTrue(ten.contains(java.net.InetAddress.getByName("::ffff:10.1.1.1")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(java.net.InetAddress.getByName("2001:db8::1")));
        assertFalse(Cidr.parse("::1").contains(java.net.InetAddress.getByName("::2")));
        assertTrue(Cidr.parse("192.168.1.0/23").contains(java.net.InetAddress.getByName("192.168.0.77")));
        assertNull(Cidr.numeric("localhost"));
    }
}
