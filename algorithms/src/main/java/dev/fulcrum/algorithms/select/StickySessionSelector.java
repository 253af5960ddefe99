package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.hash.Hashing;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.algorithms.snapshot.DerivedTable;

import java.util.Objects;

/**
 * Session affinity by cookie: a request whose cookie names an eligible backend goes there; any other request (no
 * cookie, an unknown id, a backend that is gone, dead, drained or full) is placed by a fallback algorithm, and the
 * transport then reissues the cookie naming the backend that served ({@link #needsCookie}, {@link #setCookieValue}).
 *
 * <p>The cookie carries the backend's opaque id ({@link BackendState#id()}), never its URL, so clients learn nothing
 * about the backend network. Thread-safe and lock-free; O(1) per pick: the cookie is found in the Cookie header
 * without allocating and its value looked up in an id table derived once per snapshot layout.
 */
public final class StickySessionSelector implements Selector {
    public static final String NAME = "sticky-session";

    private static final String COOKIE_HEADER = "cookie";

    private final String cookieName;
    private final Selector fallback;
    private final DerivedTable<IdIndex> ids = new DerivedTable<>(IdIndex::build);

    /**
     * @param cookieName the cookie carrying the backend id (an RFC 6265 token)
     * @param fallback   picks when the cookie does not name an eligible backend
     */
    public StickySessionSelector(String cookieName, Selector fallback) {
        if (!CookieScanner.isCookieName(cookieName)) {
            throw new IllegalArgumentException("not a valid cookie name: \"" + cookieName + "\"");
        }
        this.cookieName = cookieName;
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        if (fallback instanceof StickySessionSelector || fallback instanceof AdaptiveSelector) {
            throw new IllegalArgumentException("sticky-session's fallback must be a plain algorithm");
        }
    }

    static Selector create(SelectorOptions options) {
        final String fallback = SelectorFactory.canonicalName(options.stickyFallback());
        if (fallback == null || !SelectorFactory.isPlainAlgorithm(fallback)) {
            throw new IllegalArgumentException("sticky-session fallback \"" + options.stickyFallback()
                    + "\" is not an algorithm it can fall back on");
        }
        return new StickySessionSelector(options.stickyCookie(), SelectorFactory.create(fallback, options));
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        final CharSequence cookies = key.header(COOKIE_HEADER);
        final long bounds = CookieScanner.find(cookies, cookieName);
        if (bounds != CookieScanner.ABSENT) {
            final int index = ids.get(snapshot).lookup(snapshot, cookies, CookieScanner.from(bounds),
                    CookieScanner.to(bounds));
            if (index >= 0 && snapshot.isEligible(index)) {
                return index;
            }
        }
        return fallback.select(snapshot, key);
    }

    /**
     * Response path: true when the request's cookie does not already name {@code served} (first visit, fallback,
     * retry on another backend), so the response must carry a new cookie. Allocation-free.
     */
    public boolean needsCookie(RequestKey key, BackendState served) {
        final CharSequence cookies = key.header(COOKIE_HEADER);
        final long bounds = CookieScanner.find(cookies, cookieName);
        return bounds == CookieScanner.ABSENT || !CookieScanner.regionEquals(cookies, CookieScanner.from(bounds),
                CookieScanner.to(bounds), served.id());
    }

    /**
     * The Set-Cookie value naming {@code served}: a session cookie for the whole site, hidden from scripts, sent on
     * top-level navigations from other sites (Lax) so that following a link keeps the session, and marked Secure only
     * when the client connection is HTTPS (a Secure cookie set over plain HTTP would never come back).
     */
    public String setCookieValue(BackendState served, boolean secure) {
        final StringBuilder sb = new StringBuilder(cookieName.length() + served.id().length() + 48)
                .append(cookieName).append('=').append(served.id()).append("; Path=/; HttpOnly; SameSite=Lax");
        if (secure) {
            sb.append("; Secure");
        }
        return sb.toString();
    }

    /** True for an RFC 6265 cookie name (an HTTP token): what the config may name as the sticky cookie. */
    public static boolean isValidCookieName(String name) {
        return CookieScanner.isCookieName(name);
    }

    public String cookieName() {
        return cookieName;
    }

    public Selector fallback() {
        return fallback;
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        ids.prepare(snapshot);
        fallback.prepare(snapshot);
    }

    @Override
    public void onResponse(BackendState state, long latencyNanos, boolean success) {
        fallback.onResponse(state, latencyNanos, success);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Backend id to snapshot index: open addressing over the ids' hashes, at most half full. Immutable. */
    static final class IdIndex {
        private final int[] slots;   // index + 1, 0 = empty
        private final int mask;

        private IdIndex(int[] slots) {
            this.slots = slots;
            this.mask = slots.length - 1;
        }

        static IdIndex build(BackendSnapshot snapshot) {
            final int n = snapshot.size();
            final int capacity = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
            final int[] slots = new int[capacity];
            for (int i = 0; i < n; i++) {
                final String id = snapshot.state(i).id();
                int s = slotHash(id, 0, id.length()) & (capacity - 1);
                while (slots[s] != 0) {
                    s = (s + 1) & (capacity - 1);
                }
                slots[s] = i + 1;
            }
            return new IdIndex(slots);
        }

        /**
         * A cheap hash for ids of a few characters: one multiply-add per char (FNV-1a's two multiplies per char are
         * a long dependency chain on the request path), then one mix so that the low bits index well.
         */
        static int slotHash(CharSequence text, int from, int to) {
            long h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + text.charAt(i);
            }
            return (int) Hashing.mix64(h);
        }

        /** The index of the backend whose id is text[from, to), or -1. */
        int lookup(BackendSnapshot snapshot, CharSequence text, int from, int to) {
            int s = slotHash(text, from, to) & mask;
            for (int probes = 0; probes <= mask; probes++) {
                final int entry = slots[s];
                if (entry == 0) {
                    return -1;
                }
                if (CookieScanner.regionEquals(text, from, to, snapshot.state(entry - 1).id())) {
                    return entry - 1;
                }
                s = (s + 1) & mask;
            }
            return -1;
        }
    }
}
