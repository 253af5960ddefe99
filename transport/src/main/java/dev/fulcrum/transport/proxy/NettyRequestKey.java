package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.select.RequestKey;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The {@link RequestKey} view of the request being routed on one client connection.
 *
 * <p>Confined to the connection's event loop; reset for every request, never copied.
 */
final class NettyRequestKey implements RequestKey {
    private final long clientAddressHash;
    private HttpRequest request;

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
        return q < 0 ? uri : uri.substring(0, q);
    }
}
