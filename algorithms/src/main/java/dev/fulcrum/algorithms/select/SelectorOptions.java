package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.HashRing;
import dev.fulcrum.algorithms.hash.MaglevTable;

import java.util.List;
import java.util.Objects;

/**
 * The tunable parameters of a location's algorithm, as the {@code lb_options} config block gives them. Each algorithm
 * reads the fields that concern it and ignores the rest.
 *
 * <p>Immutable.
 *
 * @param hashKey           what the hash algorithms (ip-hash excepted) hash: client address, header, cookie or path
 * @param boundedLoadFactor bounded-load's cap relative to the mean load, greater than 1
 * @param maglevTableSize   Maglev table slots at least (rounded up to a prime and to 100 per backend)
 * @param virtualNodes      consistent-hash and bounded-load ring points per backend of average weight
 * @param slowStartNanos    ramp time of a backend's weight after it comes back; 0 disables slow start. Applied by
 *                          the pool that publishes snapshots, not by selectors
 * @param stickyCookie      cookie that carries the sticky backend's opaque id
 * @param stickyFallback    canonical name of the algorithm that picks when the sticky backend cannot serve
 * @param adaptive          the adaptive algorithm's candidates and windows
 */
public record SelectorOptions(HashKey hashKey, double boundedLoadFactor, int maglevTableSize, int virtualNodes,
                              long slowStartNanos, String stickyCookie, String stickyFallback,
                              AdaptiveOptions adaptive) {

    /** Cookie name when none is configured: says what it is, and whose. */
    public static final String DEFAULT_STICKY_COOKIE = "fulcrum_backend";

    public static final SelectorOptions DEFAULTS = new SelectorOptions(HashKey.clientAddress(),
            BoundedLoadSelector.DEFAULT_FACTOR, MaglevTable.DEFAULT_SIZE, HashRing.DEFAULT_VIRTUAL_NODES, 0L,
            DEFAULT_STICKY_COOKIE, RoundRobinSelector.NAME, AdaptiveOptions.DEFAULTS);

    public SelectorOptions {
        Objects.requireNonNull(hashKey, "hashKey");
        Objects.requireNonNull(stickyCookie, "stickyCookie");
        Objects.requireNonNull(stickyFallback, "stickyFallback");
        Objects.requireNonNull(adaptive, "adaptive");
        if (!(boundedLoadFactor > 1.0) || Double.isInfinite(boundedLoadFactor)) {
            throw new IllegalArgumentException("bounded-load factor must be a finite number greater than 1: "
                    + boundedLoadFactor);
        }
        if (maglevTableSize < 2) {
            throw new IllegalArgumentException("maglev table size must be at least 2: " + maglevTableSize);
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtual nodes must be positive: " + virtualNodes);
        }
        if (slowStartNanos < 0) {
            throw new IllegalArgumentException("slow start must not be negative: " + slowStartNanos);
        }
        if (!CookieScanner.isCookieName(stickyCookie)) {
            throw new IllegalArgumentException("not a valid cookie name: \"" + stickyCookie + "\"");
        }
    }

    /**
     * The adaptive algorithm's parameters.
     *
     * @param candidates    canonical names of the algorithms it compares, at least two
     * @param windowNanos   how long one candidate runs before it is scored
     * @param minSamples    responses a window needs before it can be scored; a window short of it is extended
     * @param exploitWindows windows the winner runs before every candidate is tried again
     */
    public record AdaptiveOptions(List<String> candidates, long windowNanos, int minSamples, int exploitWindows) {
        /** P2C, least-response-time and round robin: a load-aware, a latency-aware and a load-blind baseline. */
        public static final List<String> DEFAULT_CANDIDATES = List.of(PowerOfTwoChoicesSelector.NAME,
                LeastResponseTimeSelector.NAME, RoundRobinSelector.NAME);
        /** 10 s: enough responses for a p99 at modest rates, short enough to react within a minute. */
        public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;
        /** 100 responses: the p99 of fewer is the maximum, too noisy to switch on. */
        public static final int DEFAULT_MIN_SAMPLES = 100;
        /** The winner runs 5 windows per exploration round: about 1 in 2 windows explore with 3 candidates. */
        public static final int DEFAULT_EXPLOIT_WINDOWS = 5;

        public static final AdaptiveOptions DEFAULTS = new AdaptiveOptions(DEFAULT_CANDIDATES, DEFAULT_WINDOW_NANOS,
                DEFAULT_MIN_SAMPLES, DEFAULT_EXPLOIT_WINDOWS);

        public AdaptiveOptions {
            candidates = List.copyOf(candidates);
            if (candidates.size() < 2) {
                throw new IllegalArgumentException("adaptive needs at least two candidate algorithms");
            }
            if (windowNanos < 1_000_000L) {
                throw new IllegalArgumentException("adaptive window must be at least 1 ms");
            }
            if (minSamples < 1 || exploitWindows < 1) {
                throw new IllegalArgumentException("adaptive min samples and exploit windows must be positive");
            }
        }
    }
}
