package dev.fulcrum.core.rules;

/**
 * Picks the response content coding from a client's {@code Accept-Encoding} (RFC 9110 §12.5.3): the offered coding
 * with the highest q-value wins, {@code q=0} refuses a coding, {@code *} stands for every coding not named, and equal
 * q-values go to the server's order of preference (the order of {@link #CODINGS}: smaller output first).
 *
 * <p>Netty's own choice compares brotli only with zstd, so {@code br;q=0.1, gzip} got brotli; this class replaces it.
 * Stateless; scans the header once without allocating.
 */
public final class ContentCodingChooser {
    /** The codings Fulcrum can produce, in the order preferred on equal q-values. */
    private static final String[] CODINGS = {"br", "zstd", "gzip", "deflate"};
    /** Bits of an offered mask, one per coding. */
    public static final int BR = 1;
    public static final int ZSTD = 1 << 1;
    public static final int GZIP = 1 << 2;
    public static final int DEFLATE = 1 << 3;

    private static final int UNSET = -1;

    private ContentCodingChooser() {
    }

    /**
     * The coding to use, or null for identity.
     *
     * @param acceptEncoding the header value; null or empty means identity
     * @param offered        mask of codings this process can produce ({@link #BR} | {@link #GZIP} ...)
     */
    public static String choose(CharSequence acceptEncoding, int offered) {
        if (acceptEncoding == null || acceptEncoding.length() == 0) {
            return null;
        }
        // q-values in thousandths per coding, UNSET when the coding is not named
        int qBr = UNSET;
        int qZstd = UNSET;
        int qGzip = UNSET;
        int qDeflate = UNSET;
        int qStar = UNSET;
        final int length = acceptEncoding.length();
        int i = 0;
        while (i < length) {
            while (i < length && isSpaceOrComma(acceptEncoding.charAt(i))) {
                i++;
            }
            final int nameStart = i;
            while (i < length && !isSpaceOrComma(acceptEncoding.charAt(i)) && acceptEncoding.charAt(i) != ';') {
                i++;
            }
            final int nameEnd = i;
            int q = 1000;
            while (i < length && acceptEncoding.charAt(i) != ',') {
                final char c = acceptEncoding.charAt(i);
                if ((c == 'q' || c == 'Q') && i + 1 < length && acceptEncoding.charAt(i + 1) == '='
                        && precededByParameterStart(acceptEncoding, i)) {
                    i += 2;
                    q = parseQ(acceptEncoding, i);
                }
                i++;
            }
            if (nameEnd == nameStart) {
                continue;
            }
            if (named(acceptEncoding, nameStart, nameEnd, "br")) {
                qBr = Math.max(qBr, q);
            } else if (named(acceptEncoding, nameStart, nameEnd, "zstd")) {
                qZstd = Math.max(qZstd, q);
            } else if (named(acceptEncoding, nameStart, nameEnd, "gzip")
                    || named(acceptEncoding, nameStart, nameEnd, "x-gzip")) {
                qGzip = Math.max(qGzip, q);
            } else if (named(acceptEncoding, nameStart, nameEnd, "deflate")) {
                qDeflate = Math.max(qDeflate, q);
            } else if (named(acceptEncoding, nameStart, nameEnd, "*")) {
                qStar = Math.max(qStar, q);
            }
        }
        int bestQ = 0;
        String best = null;
        // strictly greater keeps the earlier, preferred coding on a tie
        final int br = effective(qBr, qStar, offered, BR);
        if (br > bestQ) {
            bestQ = br;
            best = CODINGS[0];
        }
        final int zstd = effective(qZstd, qStar, offered, ZSTD);
        if (zstd > bestQ) {
            bestQ = zstd;
            best = CODINGS[1];
        }
        final int gzip = effective(qGzip, qStar, offered, GZIP);
        if (gzip > bestQ) {
            bestQ = gzip;
            best = CODINGS[2];
        }
        final int deflate = effective(qDeflate, qStar, offered, DEFLATE);
        if (deflate > bestQ) {
            best = CODINGS[3];
        }
        return best;
    }

    private static int effective(int named, int star, int offered, int bit) {
        if ((offered & bit) == 0) {
            return 0;
        }
        return named != UNSET ? named : Math.max(star, 0);
    }

    private static boolean isSpaceOrComma(char c) {
        return c == ' ' || c == '\t' || c == ',';
    }

    /** True when the {@code q} at {@code at} starts a parameter (after ';' and optional spaces). */
    private static boolean precededByParameterStart(CharSequence s, int at) {
        int j = at - 1;
        while (j >= 0 && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j--;
        }
        return j >= 0 && s.charAt(j) == ';';
    }

    /** Parses a qvalue ({@code 0}, {@code 0.5}, {@code 1.000}) into thousandths; malformed means 0 (refused). */
    private static int parseQ(CharSequence s, int from) {
        final int length = s.length();
        if (from >= length) {
            return 0;
        }
        final char first = s.charAt(from);
        if (first != '0' && first != '1') {
            return 0;
        }
        int value = (first - '0') * 1000;
        int i = from + 1;
        if (i < length && s.charAt(i) == '.') {
            i++;
            int scale = 100;
            while (i < length && scale > 0 && Character.isDigit(s.charAt(i))) {
                value += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        return Math.min(value, 1000);
    }

    private static boolean named(CharSequence s, int start, int end, String name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (Character.toLowerCase(s.charAt(start + k)) != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
