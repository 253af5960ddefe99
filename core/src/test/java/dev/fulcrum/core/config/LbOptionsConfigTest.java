package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.select.SelectorOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lb_options}: parsed and honoured at the top level and per location; errors name file, line and key. */
class LbOptionsConfigTest {
    private static final String LOCATION_HEAD = "services:\n"
            + "  - name: app\n"
            + "    locations:\n"
            + "      - path: /\n"
            + "        lb_policy: consistent-hash\n"
            + "        backends:\n"
            + "          - url: http://127.0.0.1:9001\n";

    private static LocationConfig onlyLocation(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yaml").services().get(0).locations().get(0);
    }

    private static ConfigException rejected(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "config.yaml"));
    }

    @Test
    void absentOptionsAreTheDefaults() throws ConfigException {
        assertEquals(SelectorOptions.DEFAULTS, onlyLocation(LOCATION_HEAD).options());
    }

    @Test
    void everyKeyIsParsedAndALocationOverridesTheTopLevelKeyByKey() throws ConfigException {
        final String yaml = "lb_options:\n"
                + "  hash_key: cookie:session\n"
                + "  slow_start: 30s\n"
                + "  maglev_table_size: 1009\n"
                + LOCATION_HEAD
                + "        lb_options:\n"
                + "          hash_key: header:X-User\n"
                + "          bounded_load_factor: 1.5\n"
                + "          virtual_nodes: 40\n"
                + "          sticky: {cookie: route, fallback: least_connections}\n"
                + "          adaptive:\n"
                + "            candidates: [p2c, maglev]\n"
                + "            window: 2s\n"
                + "            min_samples: 10\n"
                + "            exploit_windows: 4\n";
        final SelectorOptions o = onlyLocation(yaml).options();
        assertEquals("header:X-User", o.hashKey().toString());
        assertEquals(1.5, o.boundedLoadFactor());
        assertEquals(1009, o.maglevTableSize(), "inherited from the top level");
        assertEquals(30_000_000_000L, o.slowStartNanos(), "inherited from the top level");
        assertEquals(40, o.virtualNodes());
        assertEquals("route", o.stickyCookie());
        assertEquals("least-connections", o.stickyFallback());
        assertEquals(List.of("power-of-two-choices", "maglev"), o.adaptive().candidates());
        assertEquals(2_000_000_000L, o.adaptive().windowNanos());
        assertEquals(10, o.adaptive().minSamples());
        assertEquals(4, o.adaptive().exploitWindows());
    }

    @Test
    void topLevelOptionsApplyToTheShorthandBackends() throws ConfigException {
        final String yaml = "algorithm: bounded-load\nlb_options:\n  bounded_load_factor: 2\nbackends:\n"
                + "  - url: http://127.0.0.1:9001\n";
        assertEquals(2.0, onlyLocation(yaml).options().boundedLoadFactor());
    }

    @Test
    void badValuesNameFileLineAndKey() {
        ConfigException e = rejected(LOCATION_HEAD + "        lb_options:\n          hash_key: body\n");
        assertEquals("config.yaml:9 services[0].locations[0].lb_options.hash_key: \"body\" (expected: client_address,"
                + " path, header:NAME or cookie:NAME)", e.getMessage());

        e = rejected(LOCATION_HEAD + "        lb_options:\n          bounded_load_factor: 1\n");
        assertEquals(9, e.line());
        assertEquals("services[0].locations[0].lb_options.bounded_load_factor", e.keyPath());

        e = rejected(LOCATION_HEAD + "        lb_options:\n          sticky:\n            fallback: sticky\n");
        assertEquals(10, e.line());
        assertEquals("services[0].locations[0].lb_options.sticky.fallback", e.keyPath());
        assertTrue(e.reason().contains("other than sticky-session and adaptive"), e.reason());

        e = rejected(LOCATION_HEAD + "        lb_options:\n          sticky:\n            cookie: \"a b\"\n");
        assertEquals("services[0].locations[0].lb_options.sticky.cookie", e.keyPath());

        e = rejected(LOCATION_HEAD + "        lb_options:\n          adaptive:\n            candidates:\n"
                + "              - round-robin\n              - adaptive\n");
        assertEquals(12, e.line());
        assertEquals("services[0].locations[0].lb_options.adaptive.candidates[1]", e.keyPath());

        e = rejected(LOCATION_HEAD + "        lb_options:\n          slow_start: soon\n");
        assertEquals("services[0].locations[0].lb_options.slow_start", e.keyPath());

        e = rejected("lb_options:\n  maglev_tablesize: 7\n" + LOCATION_HEAD);
        assertEquals(2, e.line());
        assertEquals("lb_options.maglev_tablesize", e.keyPath());
        assertTrue(e.reason().startsWith("unknown key"), e.reason());
    }

    @Test
    void stickySessionAndAdaptiveAreSelectable() throws ConfigException {
        assertEquals("sticky-session", onlyLocation(LOCATION_HEAD.replace("consistent-hash", "sticky_session"))
                .algorithm());
        assertEquals("adaptive", onlyLocation(LOCATION_HEAD.replace("consistent-hash", "adaptive")).algorithm());
    }
}
