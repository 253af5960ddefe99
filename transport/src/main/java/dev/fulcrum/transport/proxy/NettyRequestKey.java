package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.select.RequestKey;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The {@link RequestKey} view of the request being routed on one client connection.
 *
 * <p>Confined to the connection's event loop; reset for every request, never copied. What the hash algorithms read
 * (client address, a header, a cookie inside the Cookie header, the path) is served from the decoded request without
 * copying: {@code lb_options.hash_key} of the location decides which.
 */
final class NettyRequestKey implements RequestKey {
    private final long clientAddressHash;
    private HttpRequest request;
    private final PathView path = new PathView();

    NettyRequestKey(long clientAddressHash) {
        this.clientAddressHash = clientAddressHash;
    }

    void reset(HttpRequest next) {
        this.request = next;
    }

    @Override
    public long clientAddressHash() {
        return clientAddressHash;
    }

    @Override
    public CharSequence header(CharSequence name) {
        return request == null ? null : request.headers().get(name);
    }

    @Override
    public CharSequence path() {
        if (request == null) {
            return "/";
        }
        final String uri = request.uri();
        final int q = uri.indexOf('?');
        if (q < 0) {
            return uri;
        }
        path.reset(uri, q);
        return path;
    }

    /** The request target up to '?', as a view: hashing the path must not allocate a substring per request. */
    private static final class PathView implements CharSequence {
        private String uri = "/";
        private int length = 1;

        void reset(String target, int end) {
            this.uri = target;
            this.length = end;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return uri.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().subSequence(start, end);
        }

        @Override
        public String toString() {
            return uri.substring(0, length);
        }
    }
}
