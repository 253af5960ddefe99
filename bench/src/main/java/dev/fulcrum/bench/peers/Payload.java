package dev.fulcrum.bench.peers;

import java.util.Locale;

/**
 * One response size the origins serve, named as on the command line.
 *
 * @param label  {@code tiny}, {@code 16k}, {@code 1m} or a byte count, as given
 * @param bytes  body length
 */
public record Payload(String label, int bytes) {
    /** What {@code tiny} means: the 13-byte "Hello, World!" of the usual proxy benchmarks. */
    public static final int TINY_BYTES = 13;
    private static final int MAX_BYTES = 64 * 1024 * 1024;

    public Payload {
        if (bytes < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("payload size must be 0.." + MAX_BYTES + " bytes: " + label);
        }
    }

    /** {@code tiny}, a byte count, or a count with a {@code k} or {@code m} suffix (powers of 1024). */
    public static Payload parse(String text) {
        final String label = text.trim().toLowerCase(Locale.ROOT);
        if (label.equals("tiny")) {
            return new Payload(label, TINY_BYTES);
        }
        long multiplier = 1;
        String digits = label;
        if (label.endsWith("k")) {
            multiplier = 1024;
            digits = label.substring(0, label.length() - 1);
        } else if (label.endsWith("m")) {
            multiplier = 1024 * 1024;
            digits = label.substring(0, label.length() - 1);
        }
        try {
            final long bytes = Long.parseLong(digits) * multiplier;
            if (bytes > MAX_BYTES) {
                throw new IllegalArgumentException("payload over " + MAX_BYTES + " bytes: " + text);
            }
            return new Payload(label, (int) bytes);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("payload must be 'tiny', a byte count or a count with k/m: " + text);
        }
    }

    /** The origin path that answers with this payload. */
    public String path() {
        return "/payload/" + bytes;
    }
}
