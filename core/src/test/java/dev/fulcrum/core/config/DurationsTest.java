package dev.fulcrum.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "10s, 10000000000",
            "500ms, 500000000",
            "1m30s, 90000000000",
            "2h, 7200000000000",
            "1.5h, 5400000000000",
            "1h2m3s4ms5us6ns, 3723004005006",
            "250us, 250000",
            "250µs, 250000",
            "0, 0",
            "-1s, -1000000000",
            "+2s, 2000000000",
            "0.5s, 500000000",
    })
    void parsesGoDurationSyntax(String text, long expectedNanos) {
        assertEquals(expectedNanos, Durations.parseNanos(text));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"10", "", "s", "1x", "1.2.3s", "ms10", "1 s", "-", "10S", "99999999999h"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
    }

    @Test
    void roundsMillisecondsUpSoAPositiveDurationNeverBecomesZero() {
        assertEquals(1, Durations.toMillisCeil(1));
        assertEquals(1, Durations.toMillisCeil(1_000_000));
        assertEquals(2, Durations.toMillisCeil(1_000_001));
        assertEquals(0, Durations.toMillisCeil(0));
    }
}
