package dev.fulcrum.core.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** health_check blocks: inheritance global -> service -> backend, defaults, and terraster's crash cases. */
class HealthCheckConfigTest {
    private static final String LAYERED = """
            health_check:
              type: http
              path: /healthz
              interval: 5s
              timeout: 1s
              expected_status: 200-399
              thresholds: {healthy: 3, unhealthy: 2}
            services:
              - name: app
                port: 8080
                health_check:
                  interval: 2s
                  host: health.internal
                locations:
                  - path: /
                    backends:
                      - url: http://127.0.0.1:9001
                      - url: http://127.0.0.1:9002
                        health_check:
                          type: tcp
                          timeout: 300ms
                          thresholds: {unhealthy: 7}
                      - url: http://127.0.0.1:9003
                        health_check: {enabled: false}
              - name: plain
                port: 8081
                locations:
                  - backends:
                      - url: http://127.0.0.1:9004
            """;

    @Test
    void everyFieldInheritsGlobalThenServiceThenBackend() throws ConfigException {
        final ResilienceConfig r = ConfigLoader.parse(LAYERED, "c.yaml").resilience();

        final HealthCheckConfig first = r.healthCheck("app", "/", "http://127.0.0.1:9001");
        assertTrue(first.enabled());
        assertEquals("http", first.type());
        assertEquals("/healthz", first.path());
        assertEquals(2_000, first.intervalMillis(), "service overrides global");
        assertEquals(1_000, first.timeoutMillis(), "global kept");
        assertEquals("health.internal", first.host());
        assertEquals(200, first.expectedStatusMin());
        assertEquals(399, first.expectedStatusMax());
        assertEquals(3, first.healthyThreshold());
        assertEquals(2, first.unhealthyThreshold());
        assertTrue(first.checkBeforeTraffic());

        final HealthCheckConfig second = r.healthCheck("app", "/", "http://127.0.0.1:9002");
        assertEquals("tcp", second.type());
        assertEquals(300, second.timeoutMillis(), "backend-level timeout honoured (terraster ignored it)");
        assertEquals(2_000, second.intervalMillis());
        assertEquals(3, second.healthyThreshold(), "unset threshold inherited");
        assertEquals(7, second.unhealthyThreshold());

        assertFalse(r.healthCheck("app", "/", "http://127.0.0.1:9003").enabled());
        final HealthCheckConfig plain = r.healthCheck("plain", "/", "http://127.0.0.1:9004");
        assertTrue(plain.enabled(), "the global block applies to services without one");
        assertEquals(5_000, plain.intervalMillis());
        assertNull(plain.host());
    }

    @Test
    void aBackendTheFileDoesNotListInheritsItsLocationsCheckButAListedOneThatTurnedItOffStaysOff()
            throws ConfigException {
        final ResilienceConfig r = ConfigLoader.parse(LAYERED, "c.yaml").resilience();
        final HealthCheckConfig added = r.healthCheck("app", "/", "http://127.0.0.1:9100");
        assertEquals(r.healthCheck("app", "/", "http://127.0.0.1:9001"), added,
                "an admin-added backend gets the global and service levels, as a listed one without a block");
        assertFalse(r.healthCheck("app", "/", "http://127.0.0.1:9003").enabled());
        assertTrue(r.healthCheck("plain", "/", "http://127.0.0.1:9100").enabled());
        assertFalse(r.healthCheck("app", "/other", "http://127.0.0.1:9100").enabled(), "no such location");
    }

    @Test
    void noBlockAnywhereMeansNoActiveChecks() throws ConfigException {
        final FulcrumConfig config = ConfigLoader.parse("backends:\n  - url: http://127.0.0.1:9001\n", "c.yaml");
        assertFalse(config.resilience().healthCheck("default", "/", "http://127.0.0.1:9001").enabled());
    }

    @Test
    void aServiceBlockWithoutTypeOrIntervalTakesDefaultsInsteadOfCrashing() throws ConfigException {
        final String yaml = """
                services:
                  - name: app
                    health_check:
                      path: /up
                    locations:
                      - backends:
                          - url: http://127.0.0.1:9001
                """;
        final HealthCheckConfig hc = ConfigLoader.parse(yaml, "c.yaml").resilience()
                .healthCheck("app", "/", "http://127.0.0.1:9001");
        assertEquals("http", hc.type());
        assertEquals(HealthCheckConfig.DEFAULT_INTERVAL_MILLIS, hc.intervalMillis());
        assertEquals(HealthCheckConfig.DEFAULT_HEALTHY_THRESHOLD, hc.healthyThreshold());
    }

    @Test
    void shorthandBackendsTakeTheGlobalBlock() throws ConfigException {
        final String yaml = "health_check: {type: tcp, interval: 1s}\nbackends:\n  - url: http://127.0.0.1:9001\n";
        final HealthCheckConfig hc = ConfigLoader.parse(yaml, "c.yaml").resilience()
                .healthCheck("default", "/", "http://127.0.0.1:9001");
        assertEquals("tcp", hc.type());
        assertEquals(1_000, hc.intervalMillis());
    }

    @Test
    void anEmptyPathIsTheDefaultAsInTerraster() throws ConfigException {
        final String yaml = "health_check: {path: \"\", interval: 1s}\nbackends:\n  - url: http://127.0.0.1:9001\n";
        final HealthCheckConfig hc = ConfigLoader.parse(yaml, "c.yaml").resilience()
                .healthCheck("default", "/", "http://127.0.0.1:9001");
        assertEquals(HealthCheckConfig.DEFAULT_PATH, hc.path());
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertError("health_check: {interval: 0s}\nbackends:\n  - url: http://a:1\n", 1, "health_check.interval");
        assertError("health_check:\n  type: grpc\nbackends:\n  - url: http://a:1\n", 2, "health_check.type");
        assertError("health_check:\n  expected_status: 700\nbackends:\n  - url: http://a:1\n", 2,
                "health_check.expected_status");
        assertError("backends:\n  - url: http://a:1\n    health_check:\n      thresholds: {healthy: 0}\n", 4,
                "backends[0].health_check.thresholds.healthy");
        assertError("health_check:\n  path: health\nbackends:\n  - url: http://a:1\n", 2, "health_check.path");
        assertError("health_check:\n  intervall: 1s\nbackends:\n  - url: http://a:1\n", 2,
                "health_check.intervall");
    }

    @Test
    void resilienceBlocksParseWithServiceOverridesAndNameBadValues() throws ConfigException {
        final String yaml = """
                rate_limit: {requests_per_second: 0.5, burst: 4}
                circuit_breaker: {failure_threshold: 3}
                outlier_detection: {consecutive_failures: 2, base_ejection_time: 1s}
                trusted_proxies: [10.0.0.0/8, "::1"]
                retry_budget: {budget_percent: 50, per_try_timeout: 250ms}
                services:
                  - name: a
                    rate_limit: {burst: 9}
                    locations: [{backends: [{url: "http://127.0.0.1:1"}]}]
                  - name: b
                    port: 8081
                    locations: [{backends: [{url: "http://127.0.0.1:2"}]}]
                """;
        final ResilienceConfig r = ConfigLoader.parse(yaml, "c.yaml").resilience();
        assertEquals(9, r.rateLimit("a").burst());
        assertEquals(0.5, r.rateLimit("a").requestsPerSecond());
        assertTrue(r.rateLimit("a").perService(), "a service's own block counts its clients separately");
        assertFalse(r.rateLimit("b").perService(), "the inherited top-level block is shared");
        assertEquals(3, r.breaker("b").failureThreshold());
        assertEquals(1_000, r.outlier("a").baseEjectionMillis());
        assertEquals(300_000, r.outlier("a").maxEjectionMillis());
        assertEquals(2, r.trustedProxies().size());
        assertEquals(50, r.retryBudget().budgetPercent());
        assertEquals(250, r.retryBudget().perTryTimeoutMillis());

        final String b = "backends:\n  - url: http://a:1\n";
        assertError("trusted_proxies: [example.com]\n" + b, 1, "trusted_proxies");
        assertError("rate_limit: {requests_per_second: 0}\n" + b, 1, "rate_limit.requests_per_second");
        assertError("circuit_breaker: {failure_threshold: 0}\n" + b, 1, "circuit_breaker.failure_threshold");
        assertError("outlier_detection: {base_ejection_time: 10s, max_ejection_time: 1s}\n" + b, 1,
                "outlier_detection.max_ejection_time");
        assertError("retry_budget: {budget_percent: 101}\n" + b, 1, "retry_budget.budget_percent");
    }

    @Test
    void terrastersMiddlewareFormOfRateLimitAndCircuitBreakerIsHonouredWithZeroMeaningTheDefault()
            throws ConfigException {
        final String yaml = """
                middleware:
                  - circuit_breaker: {failure_threshold: 0, reset_timeout: 10s}
                  - security: {frame_options: DENY}
                services:
                  - name: a
                    middleware:
                      - rate_limit: {requests_per_second: 1, burst: 2}
                    locations: [{backends: [{url: "http://127.0.0.1:1"}]}]
                  - name: b
                    port: 8081
                    middleware:
                      - rate_limit: {requests_per_second: 0, burst: 0}
                      - circuit_breaker: {failure_threshold: 7}
                    locations: [{backends: [{url: "http://127.0.0.1:2"}]}]
                """;
        final ResilienceConfig r = ConfigLoader.parse(yaml, "c.yaml").resilience();
        assertTrue(r.rateLimit("a").enabled());
        assertEquals(1.0, r.rateLimit("a").requestsPerSecond());
        assertEquals(2, r.rateLimit("a").burst());
        assertEquals(RateLimitConfig.DEFAULT_REQUESTS_PER_SECOND, r.rateLimit("b").requestsPerSecond(), "0 is 20");
        assertEquals(RateLimitConfig.DEFAULT_BURST, r.rateLimit("b").burst(), "0 is 50");
        assertTrue(r.breaker("a").enabled(), "the global middleware breaker applies to every service");
        assertEquals(CircuitBreakerConfig.DISABLED.failureThreshold(), r.breaker("a").failureThreshold(), "0 is 5");
        assertEquals(10_000, r.breaker("a").resetTimeoutMillis());
        assertEquals(7, r.breaker("b").failureThreshold());
        assertEquals(10_000, r.breaker("b").resetTimeoutMillis(), "inherited field by field");

        final String b = "    locations: [{backends: [{url: \"http://a:1\"}]}]\n";
        assertError("services:\n  - name: x\n    rate_limit: {burst: 3}\n    middleware:\n"
                + "      - rate_limit: {burst: 4}\n" + b, 5, "services[0].middleware[0].rate_limit");
        assertError("middleware:\n  - circuit_breaker: {threshold: 3}\nbackends:\n  - url: http://a:1\n", 2,
                "middleware[0].circuit_breaker.threshold");
    }

    private static void assertError(String yaml, int line, String keyPath) {
        final ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "c.yaml"));
        assertEquals(line, e.line(), e::getMessage);
        assertEquals(keyPath, e.keyPath(), e::getMessage);
    }
}
