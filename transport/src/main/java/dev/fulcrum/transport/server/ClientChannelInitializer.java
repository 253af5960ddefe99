package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.LimitsConfig;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.proxy.ProxyExchangeHandler;
import dev.fulcrum.transport.proxy.AlpnSwitch;
import dev.fulcrum.transport.proxy.PriorKnowledgeDetector;
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
    private final ListenerConnectionCap connectionCap;
    private final ServerTls tls;
    private final boolean compression;

    ClientChannelInitializer(ProxyContext context) {
        this(context, null);
    }

    /** @param tls the TLS ports' certificates, or null when no port has TLS */
    ClientChannelInitializer(ProxyContext context, ServerTls tls) {
        this.context = context;
        this.limits = context.config().limits();
        this.connectionCap = new ListenerConnectionCap(limits.maxClientConnections(), context.routing().ports());
        this.tls = tls;
        this.compression = ProxyPipeline.anyCompression(context.config());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        final SniHandler sni = tls == null ? null : tls.newHandler(ch.localAddress().getPort());
        if (sni == null ? !connectionCap.admit(ch) : !connectionCap.admitQuietly(ch)) {
            return;
        }
        if (sni != null) {
            // TLS: the HTTP/1.1 or HTTP/2 pipeline is built once ALPN has chosen.
            ch.pipeline().addLast(ServerTls.HANDLER, sni);
            ch.pipeline().addLast(AlpnSwitch.NAME, new AlpnSwitch(context, compression));
        } else {
            ProxyPipeline.install(ch.pipeline(), new ProxyExchangeHandler(context), limits, compression);
            ch.pipeline().addFirst(PriorKnowledgeDetector.NAME, new PriorKnowledgeDetector(context));
        }
    }
}
