package dev.fulcrum.algorithms.hash;

/**
 * Allocation-free 64-bit hash functions and range reduction for the hash-based selectors.
 *
 * <p>Stateless and thread-safe.
 */
public final class Hashing {
    /** 2^64 divided by the golden ratio: consecutive multiples are spread evenly (Knuth's multiplicative hashing). */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private static final long FNV64_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV64_PRIME = 0x100000001B3L;

    private Hashing() {
    }

    /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** FNV-1a over the UTF-16 chars of {@code s}, then {@link #mix64}. Null hashes like "". */
    public static long hash(CharSequence s) {
        return s == null ? mix64(FNV64_OFFSET) : hash(s, 0, s.length());
    }

    /** FNV-1a over {@code s[from, to)}, then {@link #mix64}. */
    public static long hash(CharSequence s, int from, int to) {
        long h = FNV64_OFFSET;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            h = (h ^ (c & 0xFF)) * FNV64_PRIME;
            h = (h ^ (c >>> 8)) * FNV64_PRIME;
        }
        return mix64(h);
    }

    /** Maps a well-mixed hash onto [0, n) with Lemire's multiply-shift on its upper 32 bits: no division. */
    public static int reduce(long hash, int n) {
        return (int) (((hash >>> 32) * n) >>> 32);
    }

    /**
     * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014): a bucket
     * in [0, buckets) such that growing the bucket count moves only 1/buckets of the keys. O(log buckets), no table.
     */
    public static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    /** Whether {@code n} is prime; trial division, control plane only. */
    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; (long) d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The smallest prime at least {@code n}. */
    public static int nextPrime(int n) {
        int p = Math.max(2, n);
        while (!isPrime(p)) {
            p++;
        }
        return p;
    }
}
