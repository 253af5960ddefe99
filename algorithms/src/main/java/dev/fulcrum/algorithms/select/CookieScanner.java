package dev.fulcrum.algorithms.select;

/**
 * Finds one cookie's value in a Cookie header ("a=1; b=2") without allocating (RFC 6265 section 4.2).
 *
 * <p>Stateless and thread-safe.
 */
final class CookieScanner {
    /** Returned by {@link #find} when the cookie is absent. */
    static final long ABSENT = -1L;

    private CookieScanner() {
    }

    /**
     * The value's bounds as {@code (from << 32) | to} (quotes and trailing blanks removed), or {@link #ABSENT}.
     * The first cookie of that name wins, as browsers send the most specific path first.
     */
    static long find(CharSequence cookies, String name) {
        if (cookies == null) {
            return ABSENT;
        }
        if (cookies instanceof String) {
            return findInString((String) cookies, name);
        }
        final int len = cookies.length();
        int i = 0;
        while (i < len) {
            while (i < len && (cookies.charAt(i) == ' ' || cookies.charAt(i) == ';')) {
                i++;
            }
            int end = i;
            while (end < len && cookies.charAt(end) != ';') {
                end++;
            }
            final int eq = nameEnd(cookies, name, i, end);
            if (eq >= 0) {
                int from = eq + 1;
                int to = end;
                while (to > from && cookies.charAt(to - 1) == ' ') {
                    to--;
                }
                if (to - from >= 2 && cookies.charAt(from) == '"' && cookies.charAt(to - 1) == '"') {
                    from++;
                    to--;
                }
                return ((long) from << 32) | to;
            }
            i = end + 1;
        }
        return ABSENT;
    }

    /**
     * The common case (Netty hands header values over as Strings): {@link String#indexOf(String, int)} is a JIT
     * intrinsic, several times faster than walking the header char by char. A match counts only at the start of a
     * cookie (after start, ';' or ' ') and followed by '='.
     */
    private static long findInString(String cookies, String name) {
        final int len = cookies.length();
        final int n = name.length();
        int at = cookies.indexOf(name);
        while (at >= 0) {
            final int eq = at + n;
            if (eq < len && cookies.charAt(eq) == '=' && startsCookie(cookies, at)) {
                int from = eq + 1;
                int to = cookies.indexOf(';', from);
                if (to < 0) {
                    to = len;
                }
                while (to > from && cookies.charAt(to - 1) == ' ') {
                    to--;
                }
                if (to - from >= 2 && cookies.charAt(from) == '"' && cookies.charAt(to - 1) == '"') {
                    from++;
                    to--;
                }
                return ((long) from << 32) | to;
            }
            at = cookies.indexOf(name, at + 1);
        }
        return ABSENT;
    }

    /** True when only blanks separate {@code at} from the start of the header or from a ';'. */
    private static boolean startsCookie(String cookies, int at) {
        int i = at - 1;
        while (i >= 0 && cookies.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || cookies.charAt(i) == ';';
    }

    static int from(long bounds) {
        return (int) (bounds >>> 32);
    }

    static int to(long bounds) {
        return (int) bounds;
    }

    /** True when cookies[from, to) equals {@code value} exactly. */
    static boolean regionEquals(CharSequence cookies, int from, int to, String value) {
        final int n = value.length();
        if (to - from != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (cookies.charAt(from + k) != value.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** An RFC 6265 cookie-name: a non-empty HTTP token. */
    static boolean isCookieName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of '=' if cookies[from, end) starts with {@code name=}, else -1. */
    private static int nameEnd(CharSequence cookies, String name, int from, int end) {
        final int n = name.length();
        if (end - from <= n || cookies.charAt(from + n) != '=') {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            if (cookies.charAt(from + k) != name.charAt(k)) {
                return -1;
            }
        }
        return from + n;
    }
}
