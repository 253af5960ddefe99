package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.select.RequestKey;
import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.select.StickySessionSelector;
import dev.fulcrum.algorithms.snapshot.BackendState;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslHandler;

/**
 * The response half of sticky sessions: adds {@code Set-Cookie} naming the backend that served when the request's
 * cookie did not already name it (first visit, the sticky backend gone, dead or full, a retry elsewhere).
 *
 * <p>Stateless; called on the client connection's event loop. Nothing is allocated unless a cookie is (re)issued.
 */
final class StickyCookies {
    private StickyCookies() {
    }

    /**
     * @param selector the location's selector; anything but sticky-session is left alone
     * @param key      the request's key (still holding the request)
     * @param served   the backend whose response this is
     * @param response the response head about to go to the client
     * @param client   the client channel: HTTPS when its pipeline holds an {@link SslHandler}
     */
    static void onResponseHead(Selector selector, RequestKey key, BackendState served, HttpResponse response,
                               Channel client) {
        if (!(selector instanceof StickySessionSelector) || served == null) {
            return;
        }
        final StickySessionSelector sticky = (StickySessionSelector) selector;
        if (sticky.needsCookie(key, served)) {
            final boolean secure = client.pipeline().get(SslHandler.class) != null;
            response.headers().add(HttpHeaderNames.SET_COOKIE, sticky.setCookieValue(served, secure));
        }
    }
}
