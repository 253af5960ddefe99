package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.LimitsConfig;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.proxy.ProxyExchangeHandler;
import dev.fulcrum.transport.proxy.ProxyPipeline;
import dev.fulcrum.transport.tls.ServerTls;
import io.netty.handler.ssl.SniHandler;
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
    private final ServerTls tls;
    private final boolean compression;

    ClientChannelInitializer(ProxyContext context) {
        this(context, null);
    }

    /** @param tls the TLS ports' certificates, or null when no port has TLS */
    ClientChannelInitializer(ProxyContext context, ServerTls tls) {
        this.context = context;
        this.limits = context.config().limits();
        this.tls = tls;
        this.compression = ProxyPipeline.anyCompression(context.config());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ProxyPipeline.install(ch.pipeline(), new ProxyExchangeHandler(context), limits, compression);
        if (tls != null) {
            final SniHandler sni = tls.newHandler(ch.localAddress().getPort());
            if (sni != null) {
                ch.pipeline().addFirst(ServerTls.HANDLER, sni);
            }
        }
    }
}
