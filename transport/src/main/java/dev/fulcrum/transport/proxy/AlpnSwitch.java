package dev.fulcrum.transport.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake, builds the pipeline for the protocol ALPN chose: {@link Http2Pipeline} for h2, the
 * HTTP/1.1 pipeline otherwise (also for clients that sent no ALPN).
 *
 * <p>One per connection; removes itself once the protocol is known.
 */
public final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
    public static final String NAME = "alpn";
    private final ProxyContext context;
    private final boolean compression;

    public AlpnSwitch(ProxyContext context, boolean compression) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.context = context;
        this.compression = compression;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Auto-read is off: ask for the ClientHello; the TLS handlers read on their own from then on.
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2Pipeline.install(ctx.pipeline(), context, context.config().limits());
        } else {
            ProxyPipeline.install(ctx.pipeline(), new ProxyExchangeHandler(context), context.config().limits(),
                    compression);
        }
    }
}
