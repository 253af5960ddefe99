package dev.fulcrum.transport.resilience;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-client token buckets through the proxy, with X-Forwarded-For believed only from trusted proxies. */
@Timeout(60)
class RateLimitProxyTest {
    private TestOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o1");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private static int status(RawHttp raw, String forwardedFor) throws Exception {
        raw.send("GET /x HTTP/1.1\r\nHost: a\r\n" + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor
                + "\r\n") + "\r\n");
        return raw.readResponse(false).status;
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void answers429WithRetryAfterOnceTheBurstIsSpent(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.over(kind, "rate_limit: {requests_per_second: 0.5, burst: 3}\n",
                origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, status(raw, null));
            }
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            final RawHttp.Response limited = raw.readResponse(false);
            assertEquals(429, limited.status);
            assertEquals("2", limited.header("retry-after"), "one token per 2 s");
            assertTrue(limited.body.startsWith("{\"status\":429,\"error\":\"rate limit exceeded\""), limited.body);
            assertEquals(429, status(raw, null), "still limited on the same keep-alive connection");
            assertEquals(3, origin.seen().size());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void terrastersServiceMiddlewareRateLimitIsEnforced(TransportKind kind) throws Exception {
        final String yaml = "services:\n  - name: app\n    port: {port}\n    middleware:\n"
                + "      - rate_limit: {requests_per_second: 1, burst: 2}\n"
                + "    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, status(raw, null));
            assertEquals(200, status(raw, null));
            assertEquals(429, status(raw, null), "terraster's section 21 case 53: the third immediate request");
            assertEquals(2, origin.seen().size());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void countsEachForwardedClientSeparatelyWhenThePeerIsATrustedProxy(TransportKind kind) throws Exception {
        final String yaml = "trusted_proxies: [127.0.0.0/8]\nrate_limit: {requests_per_second: 0.1, burst: 2}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, status(raw, "203.0.113.1"));
            assertEquals(200, status(raw, "203.0.113.1"));
            assertEquals(429, status(raw, "203.0.113.1"));
            assertEquals(200, status(raw, "198.51.100.7, 203.0.113.2"), "a different client behind the proxy");
            assertEquals(429, status(raw, "203.0.113.2, 203.0.113.1"),
                    "the rightmost untrusted hop is the client; what it claims to forward is ignored");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void ignoresForwardedForFromAnUntrustedPeer(TransportKind kind) throws Exception {
        final String yaml = "trusted_proxies: [10.0.0.0/8]\nrate_limit: {requests_per_second: 0.1, burst: 2}\n";
        try (ProxyFixture proxy = ProxyFixture.over(kind, yaml, origin.url());
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, status(raw, "203.0.113.1"));
            assertEquals(200, status(raw, "203.0.113.2"));
            assertEquals(429, status(raw, "203.0.113.3"), "a forged header does not buy a fresh bucket");
        }
    }
}
