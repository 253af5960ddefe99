package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StickySessionSelectorTest {
    private static final String COOKIE = "fulcrum_backend";

    private static StickySessionSelector sticky() {
        return new StickySessionSelector(COOKIE, new RoundRobinSelector());
    }

    @Test
    void aCookieNamingAnEligibleBackendAlwaysGoesThere() {
        final BackendSnapshot snapshot = Backends.equal(5);
        final StickySessionSelector selector = sticky();
        selector.prepare(snapshot);
        final TestKey key = new TestKey().header("cookie", "theme=dark; " + COOKIE + "=b3; lang=en");
        for (int i = 0; i < 100; i++) {
            assertEquals(3, selector.select(snapshot, key));
        }
        assertFalse(selector.needsCookie(key, snapshot.state(3)), "cookie already names b3: no reissue");
    }

    @Test
    void withoutCookieTheFallbackPicksAndACookieIsIssued() {
        final BackendSnapshot snapshot = Backends.equal(4);
        final StickySessionSelector selector = sticky();
        final int[] counts = new int[4];
        final TestKey key = new TestKey();
        for (int i = 0; i < 400; i++) {
            counts[selector.select(snapshot, key)]++;
        }
        for (int c : counts) {
            assertEquals(100, c, "round-robin fallback spreads first visits exactly");
        }
        assertTrue(selector.needsCookie(key, snapshot.state(0)));
        assertEquals(COOKIE + "=b2; Path=/; HttpOnly; SameSite=Lax", selector.setCookieValue(snapshot.state(2), false));
        assertEquals(COOKIE + "=b2; Path=/; HttpOnly; SameSite=Lax; Secure",
                selector.setCookieValue(snapshot.state(2), true));
    }

    @Test
    void deadFullGoneOrUnknownBackendFallsBackAndTheCookieIsReissued() {
        final BackendSnapshot snapshot = Backends.equal(3);
        final StickySessionSelector selector = sticky();
        final TestKey key = new TestKey().header("cookie", COOKIE + "=b1");

        snapshot.state(1).setAliveRelease(false);
        final int onDead = selector.select(snapshot, key);
        assertTrue(onDead == 0 || onDead == 2);
        assertTrue(selector.needsCookie(key, snapshot.state(onDead)));
        snapshot.state(1).setAliveRelease(true);

        Backends.acquire(snapshot.state(1), Backends.DEFAULT_MAX_IN_FLIGHT);
        final int onFull = selector.select(snapshot, key);
        assertTrue(onFull == 0 || onFull == 2);
        for (int i = 0; i < Backends.DEFAULT_MAX_IN_FLIGHT; i++) {
            snapshot.state(1).release();
        }
        assertEquals(1, selector.select(snapshot, key), "back to b1 once it has room");

        final BackendSnapshot without = Backends.without(snapshot, 1);
        final int onGone = selector.select(without, key);
        assertTrue(onGone >= 0 && !without.state(onGone).id().equals("b1"));

        final TestKey forged = new TestKey().header("cookie", COOKIE + "=http://10.0.0.1:80");
        assertTrue(selector.select(snapshot, forged) >= 0, "an unknown id is just a first visit");
    }

    @Test
    void quotedValuesAndSimilarNamesAreHandled() {
        final BackendSnapshot snapshot = Backends.equal(3);
        final StickySessionSelector selector = sticky();
        assertEquals(2, selector.select(snapshot, new TestKey().header("cookie", COOKIE + "=\"b2\"")));
        final TestKey similar = new TestKey().header("cookie", "x" + COOKIE + "=b2; " + COOKIE + "x=b2");
        assertTrue(selector.needsCookie(similar, snapshot.state(2)), "only the exact cookie name counts");
    }

    @Test
    void fallbackMustBeAPlainAlgorithmAndTheNameAToken() {
        assertThrows(IllegalArgumentException.class, () -> new StickySessionSelector("bad name", new RandomSelector()));
        assertThrows(IllegalArgumentException.class, () -> new StickySessionSelector(COOKIE, sticky()));
        final SelectorOptions selfFallback = new SelectorOptions(HashKey.clientAddress(), 1.25, 65537, 160, 0L,
                COOKIE, StickySessionSelector.NAME, SelectorOptions.AdaptiveOptions.DEFAULTS);
        assertThrows(IllegalArgumentException.class, () -> SelectorFactory.create("sticky-session", selfFallback));
        final SelectorOptions maglevFallback = new SelectorOptions(HashKey.clientAddress(), 1.25, 65537, 160, 0L,
                "route", MaglevSelector.NAME, SelectorOptions.AdaptiveOptions.DEFAULTS);
        final StickySessionSelector created = (StickySessionSelector) SelectorFactory.create("sticky", maglevFallback);
        assertEquals("maglev", created.fallback().name());
        assertEquals("route", created.cookieName());
    }
}
