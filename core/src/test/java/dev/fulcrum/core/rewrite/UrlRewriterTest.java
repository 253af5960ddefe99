package dev.fulcrum.core.rewrite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlRewriterTest {

    /**
     * terraster's section 4.2 table, rows in order, with its bugs corrected (marked FIXED). "-" = no rewrite.
     *
     * <p>{@code /api//a} under location {@code /api/}: the prefix {@code /api/} consumes the first slash, what the
     * client sent after it ({@code /a}) already starts with '/', so the result is {@code /frontend/a} (the same as
     * terraster). Under location {@code /api} what follows the prefix is {@code //a}, kept as sent:
     * {@code /frontend//a}. We never collapse slashes the client sent; we only avoid adding one at the join.
     *
     * <p>The two rows about the backend URL's path are not inputs here: the rewriter never sees backend URLs, so
     * {@code http://b:1/api} and {@code http://b:1/v1} both give {@code /frontend/users} (FIXED for the first:
     * terraster disabled stripping and rewriting when the backend path equalled the location path).
     */
    @ParameterizedTest(name = "location {0} rewrite {1}: {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "/api/, /frontend/, /api/users?x=1&y=2, /frontend/users?x=1&y=2",
            "/api/, /frontend/, /api/,              /frontend/",
            "/api/, /frontend/, /api/v1/,           /frontend/v1/",
            "/api/, /frontend/, /api//a,            /frontend/a",
            "/api/, /frontend/, /api/a%2Fb,         /frontend/a%2Fb", // FIXED: terraster decoded to /a/b
            "/api/, /frontend,  /api/users,         /frontend/users",
            "/api/, frontend,   /api/users,         /frontend/users",
            "/api,  /frontend/, /api,               /frontend/",
            "/api,  /frontend/, /api/users,         /frontend/users",
            "/api,  /frontend/, /apiv2/x,           /frontend/v2/x",
            "/api,  /frontend/, /api//a,            /frontend//a",
            "/api/, -,          /api/users?x=1,     /users?x=1",
            "/api/, -,          /api/,              /",
            "/api,  -,          /api,               /",
            "/api,  -,          /apiv2/x,           /v2/x",
            "/,     /frontend/, /,                  /frontend/",
            "/,     /frontend/, /a/b?c=d,           /frontend/a/b?c=d",
            "/,     -,          /a%2Fb?q,           /a%2Fb?q",
            "/api/, /,          /api/users,         /users", // FIXED: terraster sent //users
            "/api/, /frontend/, /api/users,         /frontend/users", // backend http://b:1/api: FIXED
            "/api/, /frontend/, /api/users,         /frontend/users", // backend http://b:1/v1
    })
    void followsTerrastersTableWithItsBugsFixed(String location, String rewrite, String client, String backend) {
        assertEquals(backend, UrlRewriter.of(location, rewrite).rewrite(client));
    }

    @ParameterizedTest(name = "location {0} rewrite {1}: {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "/api/, /frontend/,   /api/?next=/api/x,  /frontend/?next=/api/x",
            "/api,  /frontend/,   /api?x=1,           /frontend/?x=1",
            "/api/, /frontend//,  /api/a,             /frontend/a",
            "/api/, //,           /api/a,             /a",
            "/api/, /f/,          /api/a?q=%2F&&x,    /f/a?q=%2F&&x",
            "/,     /v2,          /?,                 /v2/?",
            "/api/, -,            /api/?q,            /?q",
            "/old/, /new/,        /old/%7Euser,       /new/%7Euser",
    })
    void keepsQueryAndEncodingByteForByteAndNeverJoinsWithDoubleSlash(String location, String rewrite,
                                                                       String client, String backend) {
        assertEquals(backend, UrlRewriter.of(location, rewrite).rewrite(client));
    }

    @Test
    void rootLocationWithoutRewriteReturnsTheSameInstance() {
        final UrlRewriter rewriter = UrlRewriter.of("/", null);
        final String uri = new String("/a/b?c=d");
        assertTrue(rewriter.isIdentity());
        assertSame(uri, rewriter.rewrite(uri));
        assertTrue(UrlRewriter.of("/", "/").isIdentity(), "rewrite / under / changes nothing either");
        assertFalse(UrlRewriter.of("/api/", null).isIdentity());
        assertFalse(UrlRewriter.of("/", "/x").isIdentity());
    }

    @Test
    void rejectsPathsThatCannotBePrefixes() {
        assertThrows(IllegalArgumentException.class, () -> UrlRewriter.of("api", null));
        assertThrows(IllegalArgumentException.class, () -> UrlRewriter.of("/api?x", null));
        assertThrows(IllegalArgumentException.class, () -> UrlRewriter.of("/api", "/x?y"));
    }
}
