package dev.fulcrum.core.route;

/**
 * ASCII case folding and hashing over a region of a {@link CharSequence}, without allocating.
 *
 * <p>Stateless and thread-safe. Host names are ASCII on the wire (IDNs travel as punycode), so folding A-Z is
 * exactly the case-insensitivity RFC 9110 asks for and avoids {@code toLowerCase}'s locale rules and copies.
 */
final class Ascii {
    private Ascii() {
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Hash of {@code s[start, end)} folded to lower case; equal for strings equal ignoring ASCII case. */
    static int hashLower(CharSequence s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + lower(s.charAt(i));
        }
        // Spread the high bits down: the table indexes with the low bits.
        return h ^ (h >>> 16);
    }

    /** True when {@code s[start, end)} equals {@code lowerKey}, which is already lower case. */
    static boolean equalsLower(CharSequence s, int start, int end, String lowerKey) {
        final int n = end - start;
        if (n != lowerKey.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(s.charAt(start + i)) != lowerKey.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
