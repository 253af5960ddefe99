package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.Cidr;
import dev.fulcrum.core.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientRateLimiterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void admitsTheBurstThenOnePerEmissionInterval() {
        final ClientRateLimiter limiter = new ClientRateLimiter(new RateLimitConfig(true, 10, 5, false, 64), 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.acquire(1, 0), "burst request " + i);
        }
        final long wait = limiter.acquire(1, 0);
        assertEquals(S / 10, wait, "the sixth waits one emission interval");
        assertEquals(0, limiter.acquire(1, S / 10));
        assertTrue(limiter.acquire(1, S / 10) > 0);
        assertEquals(0, limiter.acquire(2, 0), "another client has its own bucket");
    }

    @Test
    void aQuietClientGetsItsFullBurstBack() {
        final ClientRateLimiter limiter = new ClientRateLimiter(new RateLimitConfig(true, 10, 3, false, 64), 0);
        for (int i = 0; i < 3; i++) {
            limiter.acquire(7, 0);
        }
        assertTrue(limiter.acquire(7, 0) > 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire(7, S), "refilled after a quiet second");
        }
    }

    @Test
    void memoryIsBoundedAndIdleClientsAreEvictedForNewOnes() {
        final ClientRateLimiter limiter = new ClientRateLimiter(new RateLimitConfig(true, 1, 1, false, 16), 0);
        assertEquals(16, limiter.capacity());
        for (long client = 1; client <= 10_000; client++) {
            assertEquals(0, limiter.acquire(client, client * S), "client " + client + " arrives after the others idled");
        }
        // A client that is active right now keeps its state: its second request is limited.
        assertTrue(limiter.acquire(10_000, 10_000 * S) > 0);
    }

    @Test
    void believesForwardedForOnlyFromTrustedProxiesReadingFromTheRight() {
        final ClientAddress address = new ClientAddress(List.of("10.0.0.0/8", "::1/128"));
        final long peer = ClientAddress.keyOf(new byte[] {10, 0, 0, 1});
        assertTrue(address.isTrusted(new byte[] {10, 1, 2, 3}));
        assertTrue(!address.isTrusted(new byte[] {11, 0, 0, 1}));
        assertEquals(ClientAddress.keyOf(new byte[] {(byte) 203, 0, 113, 9}),
                address.clientKey(peer, "198.51.100.1, 203.0.113.9, 10.0.0.7"),
                "the forged leftmost entry is ignored; the first untrusted from the right is the client");
        assertEquals(peer, address.clientKey(peer, null));
        assertEquals(ClientAddress.keyOf(new byte[] {10, 0, 0, 7}), address.clientKey(peer, "garbage, 10.0.0.7"));
        assertEquals(4, Cidr.literalBytes("1.2.3.4").length);
        assertTrue(!Cidr.isValid("example.com"), "names are never resolved");
        assertTrue(!Cidr.isValid("10.0.0.0/33"));
    }
}
