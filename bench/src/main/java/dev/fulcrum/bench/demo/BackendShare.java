package dev.fulcrum.bench.demo;

/**
 * How many measured requests one demo origin served.
 *
 * <p>Immutable.
 *
 * @param name    the origin's name (fast, medium, slow)
 * @param profile its latency profile, as text
 * @param url     where it listened
 * @param served  responses it wrote during the measured phase
 */
public record BackendShare(String name, String profile, String url, long served) {
}
