package dev.fulcrum.transport.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the HTTP codec and tells the exchange handler when the first bytes of a request arrive, so the
 * request-header timeout runs from the first byte (slowloris defence) and the idle timeout from the last response.
 *
 * <p>Confined to one connection's event loop; passes every message on untouched.
 */
final class HeadStartWatcher extends ChannelInboundHandlerAdapter {
    private final ProxyExchangeHandler exchange;

    HeadStartWatcher(ProxyExchangeHandler exchange) {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        exchange.onInboundBytes();
        ctx.fireChannelRead(msg);
    }
}
