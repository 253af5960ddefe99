package dev.fulcrum.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Parses durations the way Go's {@code time.ParseDuration} spells them ({@code "10s"}, {@code "1m30s"},
 * {@code "1.5h"}, {@code "500ms"}), because terraster configs use that syntax.
 *
 * <p>Stateless and thread-safe. Units: ns, us (or µs, μs), ms, s, m, h. A bare number other than {@code 0} is
 * rejected, as in Go: {@code "10"} is ambiguous. Integer YAML values are nanoseconds; the config loader handles
 * those, since they never reach this string parser.
 */
public final class Durations {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private Durations() {
    }

    /**
     * @return the duration in nanoseconds (may be negative when written with a leading '-')
     * @throws IllegalArgumentException with a short reason when the text is not a Go duration or overflows a long
     */
    public static long parseNanos(String text) {
        final String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return 0L;
        }
        if (i == s.length()) {
            throw new IllegalArgumentException("no number");
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < s.length()) {
            final int numberStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            final String number = s.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("bad number at '" + s.substring(numberStart) + "'");
            }
            final int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            final long unitNanos = unitNanos(s.substring(unitStart, i));
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
        }
        // Go truncates fractions of a nanosecond; so do we.
        final BigInteger nanos = total.toBigInteger();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("duration too large");
        }
        return negative ? -nanos.longValue() : nanos.longValue();
    }

    /** Whole milliseconds, rounded up so that a positive duration never becomes 0. */
    public static long toMillisCeil(long nanos) {
        final long millis = nanos / NANOS_PER_MILLI;
        return nanos % NANOS_PER_MILLI > 0 ? millis + 1 : millis;
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "\u00b5s": // micro sign
            case "\u03bcs": // Greek mu
                return 1_000L;
            case "ms":
                return NANOS_PER_MILLI;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                throw new IllegalArgumentException("missing unit");
            default:
                throw new IllegalArgumentException("unknown unit '" + unit + "'");
        }
    }
}
