package dev.fulcrum.transport.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes a request decoded from an HTTP/2 stream look like one from the HTTP/1.1 codec, which is what
 * {@link ProxyExchangeHandler} and the HTTP/1.1 backend expect: a head followed by body parts, a body without a
 * Content-Length framed as chunked, and none of Netty's {@code x-http2-*} bookkeeping headers.
 *
 * <p>Stateless and sharable: one instance serves every stream. Ownership: a full request's content moves, unreleased,
 * into the {@link DefaultLastHttpContent} fired after the head.
 */
@ChannelHandler.Sharable
final class Http2RequestAdapter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        final HttpRequest request = (HttpRequest) msg;
        final HttpHeaders headers = request.headers();
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
        if (msg instanceof FullHttpRequest) {
            // HEADERS with END_STREAM, or a body the codec aggregated: split into head and last part.
            final FullHttpRequest full = (FullHttpRequest) msg;
            if (full.content().isReadable()) {
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
            }
            final HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), headers);
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // A streamed HTTP/2 body has no length on the wire towards HTTP/1.1 unless we frame it.
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ctx.fireChannelRead(request);
    }
}
