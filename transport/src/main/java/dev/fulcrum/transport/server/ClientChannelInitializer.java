package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.LimitsConfig;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.proxy.ProxyExchangeHandler;
import dev.fulcrum.transport.proxy.ProxyPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * Builds the pipeline of each accepted client connection.
 *
 * <p>Sharable: stateless apart from the immutable context.
 */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyContext context;
    private final LimitsConfig limits;

    ClientChannelInitializer(ProxyContext context) {
        this.context = context;
        this.limits = context.config().limits();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ProxyPipeline.install(ch.pipeline(), new ProxyExchangeHandler(context), limits);
    }
}
