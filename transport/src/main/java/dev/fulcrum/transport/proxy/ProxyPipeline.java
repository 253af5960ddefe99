package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.config.LimitsConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Assembles a client connection's pipeline: framing guard (which also reports each read), HTTP/1.1 codec, exchange handler.
 *
 * <p>Stateless.
 */
public final class ProxyPipeline {
    public static final String FRAMING_GUARD = "framing-guard";
    public static final String CODEC = "http-server-codec";
    public static final String EXCHANGE = "exchange";
    /** What TLS listeners offer in ALPN, most preferred first. */
    public static final java.util.List<String> ALPN_PROTOCOLS = java.util.List.of("h2", "http/1.1");
    /**
     * Body slices handed on by the decoder are views of the read buffer, so a large cap costs no copy; it only
     * saves splitting one read into many messages.
     */
    private static final int MAX_CHUNK_BYTES = 1 << 20;

    private ProxyPipeline() {
    }

    public static void install(ChannelPipeline pipeline, ProxyExchangeHandler exchange, LimitsConfig limits) {
        install(pipeline, exchange, limits, false);
    }

    /**
     * As above, with a response compressor between codec and exchange when some service compresses. The exchange
     * handler goes last: added to an active channel it starts at once and looks up the compressor.
     */
    public static void install(ChannelPipeline pipeline, ProxyExchangeHandler exchange, LimitsConfig limits,
                               boolean compression) {
        final HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                // Smuggling defences (RequestFramingGuard checks the same shapes first, with reasons).
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setValidateHeaders(true);
        pipeline.addLast(FRAMING_GUARD, new RequestFramingGuard(exchange));
        pipeline.addLast(CODEC, new HttpServerCodec(decoder));
        if (compression) {
            pipeline.addLast(ResponseCompressor.NAME, new ResponseCompressor());
        }
        pipeline.addLast(EXCHANGE, exchange);
    }

    /** True when some service of the config has the compression middleware on. */
    public static boolean anyCompression(dev.fulcrum.core.config.FulcrumConfig config) {
        for (dev.fulcrum.core.config.ServiceConfig service : config.services()) {
            if (service.options().middleware().compression().enabled()) {
                return true;
            }
        }
        return false;
    }
}
