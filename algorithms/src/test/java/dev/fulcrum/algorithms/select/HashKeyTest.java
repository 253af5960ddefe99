package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HashKeyTest {

    @Test
    void cookieKeyHashesOnlyTheNamedCookiesValue() {
        final HashKey key = HashKey.cookie("sid");
        final long expected = Hashing.hash("abc");
        assertEquals(expected, key.hash(new TestKey().header("cookie", "sid=abc")));
        assertEquals(expected, key.hash(new TestKey().header("cookie", "theme=dark; sid=abc; x=1")));
        assertEquals(expected, key.hash(new TestKey().header("cookie", "xsid=zz;sid=\"abc\"")));
        assertNotEquals(expected, key.hash(new TestKey().header("cookie", "sidx=abc")));
    }

    @Test
    void missingHeaderOrCookieFallsBackToTheClientAddress() {
        final long byAddress = HashKey.clientAddress().hash(new TestKey().client(77));
        assertEquals(byAddress, HashKey.header("x-user").hash(new TestKey().client(77)));
        assertEquals(byAddress, HashKey.cookie("sid").hash(new TestKey().client(77).header("cookie", "a=b")));
    }

    @Test
    void parsesConfigSpellings() {
        assertEquals("client_address", HashKey.parse("client_address").toString());
        assertEquals("path", HashKey.parse("PATH").toString());
        assertEquals("header:X-User", HashKey.parse("header: X-User").toString());
        assertEquals("cookie:sid", HashKey.parse("cookie:sid").toString());
        assertThrows(IllegalArgumentException.class, () -> HashKey.parse("query:x"));
        assertThrows(IllegalArgumentException.class, () -> HashKey.parse("header:"));
    }
}
