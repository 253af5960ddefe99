package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.config.LimitsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Assembles an HTTP/2 client connection: the frame codec and one child channel per stream, each with the HTTP/2 to
 * HTTP/1.1 object codec and its own {@link ProxyExchangeHandler} (built by {@link Http2StreamInitializer}), so every
 * stream is relayed to an HTTP/1.1 backend exactly like an HTTP/1.1 exchange.
 *
 * <p>Stateless. The connection reads continuously (frames of many streams share it); each stream channel runs with
 * auto-read off, so a stream whose backend is slow stops consuming and its HTTP/2 flow-control window closes, while
 * the other streams go on.
 */
public final class Http2Pipeline {
    public static final String FRAME_CODEC = "h2-frame-codec";
    public static final String MULTIPLEX = "h2-multiplex";
    public static final String FLUSH_CONSOLIDATION = "h2-flush-consolidation";
    /** Stream flushes folded into one connection flush at most (then it flushes anyway, to bound buffering). */
    private static final int MAX_FOLDED_FLUSHES = 256;
    /** Streams one client may have open at once (RFC 9113 recommends no fewer than 100). */
    public static final int MAX_CONCURRENT_STREAMS = 1024;

    private Http2Pipeline() {
    }

    public static void install(ChannelPipeline pipeline, ProxyContext context, LimitsConfig limits) {
        final Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(limits.maxHeaderBytes());
        pipeline.addLast(FRAME_CODEC, Http2FrameCodecBuilder.forServer().initialSettings(settings)
                .validateHeaders(true).build());
        // Each stream flushes its response when its backend's read ends, and responses of a connection's streams
        // come from as many backend connections: unconsolidated, that is one flow-control pass, one TLS record and
        // one send per response. Between the codec and the streams, the flushes of one event-loop turn become one.
        pipeline.addLast(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(MAX_FOLDED_FLUSHES, true));
        pipeline.addLast(MULTIPLEX, new Http2MultiplexHandler(new Http2StreamInitializer(context)));
        final Channel channel = pipeline.channel();
        channel.config().setAutoRead(true);
        channel.read();
    }
}
