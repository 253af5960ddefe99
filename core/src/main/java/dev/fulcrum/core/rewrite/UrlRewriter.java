package dev.fulcrum.core.rewrite;

import java.util.Objects;

/**
 * Replaces a location's path prefix in a request target with the location's rewrite.
 *
 * <p>Immutable and thread-safe. This is terraster's algorithm (strip the prefix textually, make sure a '/' follows,
 * put the rewrite in front) with its corner cases fixed:
 * <ul>
 *   <li>no {@code //} at the join: rewrite {@code "/"} behaves like no rewrite ({@code /api/users} becomes
 *       {@code /users}, where terraster sent {@code //users}), and every trailing '/' of the rewrite is dropped;</li>
 *   <li>bytes are kept as the client sent them: no percent-decoding ({@code %2F} stays {@code %2F}), the query is
 *       copied verbatim;</li>
 *   <li>the backend URL's path plays no part: terraster disabled stripping and rewriting when the backend path
 *       equalled the location path, and otherwise dropped the backend path silently; Fulcrum always does the
 *       latter, so one location behaves the same whatever its backends' URLs say.</li>
 * </ul>
 * Whatever follows the prefix is kept as sent, doubled slashes included: location {@code /api} turns
 * {@code /api//a} into {@code /frontend//a}; location {@code /api/} turns it into {@code /frontend/a} because the
 * prefix itself consumed one of the slashes.
 */
public final class UrlRewriter {
    private final String locationPath;
    /** Rewrite with a leading '/' and no trailing '/'; "" when the prefix is only stripped. */
    private final String replacement;
    private final boolean identity;

    private UrlRewriter(String locationPath, String replacement) {
        this.locationPath = locationPath;
        this.replacement = replacement;
        // Location "/" stripped and nothing prepended gives back the input: skip the work and the allocation.
        this.identity = locationPath.equals("/") && replacement.isEmpty();
    }

    /**
     * @param locationPath the location's path prefix, starting with '/'
     * @param rewrite      what replaces the prefix; null or "" to strip only ("frontend", "/frontend" and
     *                     "/frontend/" are the same rewrite)
     * @throws IllegalArgumentException when the path does not start with '/' or either contains '?' or '#'
     */
    public static UrlRewriter of(String locationPath, String rewrite) {
        Objects.requireNonNull(locationPath, "locationPath");
        if (!locationPath.startsWith("/")) {
            throw new IllegalArgumentException("location path must start with '/': " + locationPath);
        }
        if (locationPath.indexOf('?') >= 0 || locationPath.indexOf('#') >= 0) {
            throw new IllegalArgumentException("location path must not contain '?' or '#': " + locationPath);
        }
        if (rewrite != null && (rewrite.indexOf('?') >= 0 || rewrite.indexOf('#') >= 0)) {
            throw new IllegalArgumentException("rewrite must not contain '?' or '#': " + rewrite);
        }
        return new UrlRewriter(locationPath, normaliseRewrite(rewrite));
    }

    private static String normaliseRewrite(String rewrite) {
        if (rewrite == null) {
            return "";
        }
        int end = rewrite.length();
        while (end > 0 && rewrite.charAt(end - 1) == '/') {
            end--;
        }
        int start = 0;
        while (start < end && rewrite.charAt(start) == '/') {
            start++;
        }
        // "" (from null, "" or "/") means nothing is prepended; otherwise exactly one leading '/'.
        return start == end ? "" : '/' + rewrite.substring(start, end);
    }

    /**
     * The request target to send to the backend.
     *
     * @param rawUri the origin-form request target as received: path and optional {@code ?query}
     * @return the rewritten target; the same instance when this rewriter is the identity
     */
    public String rewrite(String rawUri) {
        if (identity) {
            return rawUri;
        }
        int queryStart = rawUri.indexOf('?');
        if (queryStart < 0) {
            queryStart = rawUri.length();
        }
        // The router only hands over targets that start with the location path; anything else keeps its path.
        final int restStart = rawUri.startsWith(locationPath) && locationPath.length() <= queryStart
                ? locationPath.length()
                : 0;
        final boolean needsSlash = restStart == queryStart || rawUri.charAt(restStart) != '/';
        final StringBuilder sb = new StringBuilder(
                replacement.length() + 1 + rawUri.length() - restStart);
        sb.append(replacement);
        if (needsSlash) {
            sb.append('/');
        }
        return sb.append(rawUri, restStart, rawUri.length()).toString();
    }

    /** True when {@link #rewrite} returns its argument unchanged. */
    public boolean isIdentity() {
        return identity;
    }

    public String locationPath() {
        return locationPath;
    }

    /** The normalised rewrite prefix ("" when the location prefix is only stripped). */
    public String replacement() {
        return replacement;
    }

    @Override
    public String toString() {
        return "UrlRewriter{" + locationPath + " -> " + (replacement.isEmpty() ? "/" : replacement + '/') + '}';
    }
}
