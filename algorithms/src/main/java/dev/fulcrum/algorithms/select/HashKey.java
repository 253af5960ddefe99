package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;

import java.util.Locale;
import java.util.Objects;

/**
 * Which part of a request the hash-based selectors hash: the client address, a header, a cookie or the path.
 *
 * <p>Immutable and thread-safe; {@link #hash} allocates nothing. A request that lacks the header or cookie is hashed
 * by its client address instead, so it still lands somewhere stable.
 */
public final class HashKey {
    private static final String COOKIE_HEADER = "cookie";

    private enum Source { CLIENT_ADDRESS, HEADER, COOKIE, PATH }

    private static final HashKey CLIENT_ADDRESS = new HashKey(Source.CLIENT_ADDRESS, null);
    private static final HashKey PATH = new HashKey(Source.PATH, null);

    private final Source source;
    private final String name;

    private HashKey(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    /** The client's IP address (IPv4 or IPv6, without the port), as {@link RequestKey#clientAddressHash()}. */
    public static HashKey clientAddress() {
        return CLIENT_ADDRESS;
    }

    /** The request path without its query. */
    public static HashKey path() {
        return PATH;
    }

    /** A request header's first value; absent falls back to the client address. */
    public static HashKey header(String headerName) {
        return new HashKey(Source.HEADER, requireName(headerName));
    }

    /** A cookie's value from the Cookie header; absent falls back to the client address. */
    public static HashKey cookie(String cookieName) {
        return new HashKey(Source.COOKIE, requireName(cookieName));
    }

    /**
     * Parses a config value: {@code client_address} (or {@code ip}), {@code path}, {@code header:NAME},
     * {@code cookie:NAME}.
     *
     * @throws IllegalArgumentException with the accepted forms
     */
    public static HashKey parse(String spec) {
        final String s = Objects.requireNonNull(spec, "spec").trim();
        final String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("client_address") || lower.equals("client-address") || lower.equals("ip")) {
            return CLIENT_ADDRESS;
        }
        if (lower.equals("path")) {
            return PATH;
        }
        if (lower.startsWith("header:")) {
            return header(s.substring("header:".length()).trim());
        }
        if (lower.startsWith("cookie:")) {
            return cookie(s.substring("cookie:".length()).trim());
        }
        throw new IllegalArgumentException("unknown hash key '" + spec
                + "' (expected client_address, path, header:NAME or cookie:NAME)");
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("hash key needs a non-empty name");
        }
        return name;
    }

    /** A well-mixed 64-bit hash of this key's part of the request. Allocation-free. */
    public long hash(RequestKey key) {
        switch (source) {
            case PATH:
                return Hashing.hash(key.path());
            case HEADER: {
                final CharSequence value = key.header(name);
                return value == null ? addressHash(key) : Hashing.hash(value);
            }
            case COOKIE:
                return cookieHash(key);
            default:
                return addressHash(key);
        }
    }

    private static long addressHash(RequestKey key) {
        return Hashing.mix64(key.clientAddressHash());
    }

    /** Hashes the named cookie's value, found without allocating. */
    private long cookieHash(RequestKey key) {
        final CharSequence cookies = key.header(COOKIE_HEADER);
        final long bounds = CookieScanner.find(cookies, name);
        if (bounds == CookieScanner.ABSENT) {
            return addressHash(key);
        }
        return Hashing.hash(cookies, CookieScanner.from(bounds), CookieScanner.to(bounds));
    }

    @Override
    public String toString() {
        return name == null ? source.name().toLowerCase(Locale.ROOT) : source.name().toLowerCase(Locale.ROOT) + ':' + name;
    }
}
