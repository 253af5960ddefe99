package dev.fulcrum.algorithms.select;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both scanners (String fast path and any CharSequence) find the same cookie values. */
class CookieScannerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sid=abc|abc",
            "a=1; sid=abc; b=2|abc",
            "a=1;sid=abc|abc",
            "sid=\"quoted\"|quoted",
            "xsid=no; sidx=no; sid=yes|yes",
            "a=hello sid=injected; sid=real|real",
            "a=1; b=2|<absent>",
            "sid=|''",
            "sid=abc  ; b=2|abc"})
    void findsTheNamedCookiesValue(String header, String expected) {
        final String want = expected.equals("<absent>") ? null : expected;
        assertEquals(want, value(header), "String path");
        assertEquals(want, value(new StringBuilder(header)), "CharSequence path");
    }

    private static String value(CharSequence header) {
        final long bounds = CookieScanner.find(header, "sid");
        return bounds == CookieScanner.ABSENT ? null
                : header.subSequence(CookieScanner.from(bounds), CookieScanner.to(bounds)).toString();
    }
}
