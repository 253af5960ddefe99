package dev.fulcrum.core.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.fulcrum.core.rules.ContentCodingChooser.BR;
import static dev.fulcrum.core.rules.ContentCodingChooser.DEFLATE;
import static dev.fulcrum.core.rules.ContentCodingChooser.GZIP;
import static dev.fulcrum.core.rules.ContentCodingChooser.ZSTD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ContentCodingChooserTest {
    private static final int ALL = BR | ZSTD | GZIP | DEFLATE;

    @ParameterizedTest(name = "[{0}] offered {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "gzip                              | 15 | gzip",
        "br;q=0.9, gzip;q=1.0, deflate;q=0.5 | 15 | gzip",
        "br;q=0.1, gzip                    | 15 | gzip",
        "gzip;q=0.5, zstd                  | 15 | zstd",
        "gzip, deflate, br, zstd           | 15 | br",
        "gzip, deflate, br, zstd           | 14 | zstd",
        "gzip, deflate, br                 | 12 | gzip",
        "gzip;q=0, deflate                 | 15 | deflate",
        "br;q=0                            | 15 | null",
        "identity                          | 15 | null",
        "*                                 | 15 | br",
        "*;q=0.5, gzip;q=0.4               | 15 | br",
        "*, br;q=0                         | 15 | zstd",
        "GZIP ; Q=0.7 , Deflate;q=0.6      | 15 | gzip",
        "x-gzip                            | 15 | gzip",
        "gzip;q=abc                        | 15 | null",
        "gzip;level=1;q=0.3, deflate;q=0.2 | 15 | gzip",
        "br;q=1.000, gzip;q=1              | 4  | gzip",
        "' '                               | 15 | null",
        ",,;q=1, deflate                   | 15 | deflate",
    })
    void ranksByQValueThenByPreference(String header, int offered, String expected) {
        assertEquals(expected, ContentCodingChooser.choose(header.strip(), offered));
    }

    @Test
    void nullHeaderIsIdentity() {
        assertNull(ContentCodingChooser.choose(null, ALL));
    }
}
