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
    private final ListenerConnectionCap connectionCap;

    ClientChannelInitializer(ProxyContext context) {
        this.context = context;
        this.limits = context.config().limits();
        this.connectionCap = new ListenerConnectionCap(limits.maxClientConnections(), context.routing().ports());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!connectionCap.admit(ch)) {
            return;
        }
        ProxyPipeline.install(ch.pipeline(), new ProxyExchangeHandler(context), limits);
    }
}
