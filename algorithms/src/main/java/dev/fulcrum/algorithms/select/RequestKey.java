package dev.fulcrum.algorithms.select;

/**
 * What a request offers to algorithms that hash or stick: the client address and request attributes.
 *
 * <p>Implementations are flyweights owned by one event loop and reused for every request on it; a selector reads
 * them during {@link Selector#select} only and never keeps a reference.
 */
public interface RequestKey {
    /** A key with nothing in it, for callers that have no request (tests, benchmarks of plain rotation). */
    RequestKey NONE = new RequestKey() {
        @Override
        public long clientAddressHash() {
            return 0L;
        }

        @Override
        public CharSequence header(CharSequence name) {
            return null;
        }

        @Override
        public CharSequence path() {
            return "/";
        }
    };

    /** A hash of the client's IP address (not its port): the same client gives the same value. */
    long clientAddressHash();

    /** A request header's first value, or null. */
    CharSequence header(CharSequence name);

    /** The request path without its query. */
    CharSequence path();
}
