package dev.fulcrum.transport.proxy;

import dev.fulcrum.core.rules.CompressionPolicy;
import dev.fulcrum.core.rules.ContentCodingChooser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;

/**
 * Compresses proxied responses for services with the {@code compression} middleware, using Netty's content
 * encoder: the encoding is the one the client's {@code Accept-Encoding} ranks highest by q-value among brotli, zstd,
 * gzip and deflate (brotli and zstd when their native libraries load on this platform), chosen by
 * {@link ContentCodingChooser} rather than Netty, which ranks brotli against zstd only; {@code q=0} refuses an
 * encoding; 1xx, 204, 304 and HEAD answers pass through.
 *
 * <p>Confined to its connection's event loop. {@link ProxyExchangeHandler} calls {@link #next} with the service's
 * policy just before it writes a response head; the head consumes it, so generated responses are never compressed.
 * Beyond Netty's rules: only the policy's media types, only above its size floor, never a response that already has
 * a Content-Encoding (terraster gzipped those twice), and {@code Vary: Accept-Encoding} on every response whose type
 * could be compressed. The encoder drops Content-Length and re-frames the body as chunked.
 */
final class ResponseCompressor extends HttpContentCompressor {
    static final String NAME = "compressor";
    private static final AsciiString ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");
    private static final CompressionOptions[] OPTIONS = options();
    private static final int OFFERED = ContentCodingChooser.GZIP | ContentCodingChooser.DEFLATE
            | (Zstd.isAvailable() ? ContentCodingChooser.ZSTD : 0)
            | (Brotli.isAvailable() ? ContentCodingChooser.BR : 0);

    private CompressionPolicy pending;
    private CompressionPolicy current;

    ResponseCompressor() {
        super(0, OPTIONS);
    }

    private static CompressionOptions[] options() {
        final List<CompressionOptions> options = new ArrayList<>(4);
        options.add(StandardCompressionOptions.gzip());
        options.add(StandardCompressionOptions.deflate());
        if (Zstd.isAvailable()) {
            options.add(StandardCompressionOptions.zstd());
        }
        if (Brotli.isAvailable()) {
            // Quality 4 (Netty's default): near gzip -6 in CPU with smaller output; 11 is for static assets.
            options.add(StandardCompressionOptions.brotli());
        }
        return options.toArray(new CompressionOptions[0]);
    }

    /** True when zstd is offered (zstd-jni loaded on this platform). */
    static boolean zstdAvailable() {
        return Zstd.isAvailable();
    }

    /** True when brotli is offered (brotli4j's native library loaded on this platform). */
    static boolean brotliAvailable() {
        return Brotli.isAvailable();
    }

    /** The policy for the next response head written on this connection; null to send it as it is. */
    void next(CompressionPolicy policy) {
        pending = policy;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpResponse) {
            current = pending;
            pending = null;
        }
        super.encode(ctx, msg, out);
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
        final CompressionPolicy policy = current;
        current = null;
        if (policy == null || !policy.isCompressibleType(response.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            return null;
        }
        ExchangeRules.addVary(response.headers(), ACCEPT_ENCODING);
        if (response.headers().contains(HttpHeaderNames.CONTENT_ENCODING)) {
            return null; // already encoded by the backend: never twice
        }
        final long length = HttpUtil.getContentLength(response, -1L);
        if (length >= 0 && length < policy.minBytes()) {
            return null;
        }
        return super.beginEncode(response, acceptEncoding);
    }

    @Override
    protected String determineEncoding(String acceptEncoding) {
        return ContentCodingChooser.choose(acceptEncoding, OFFERED);
    }
}
