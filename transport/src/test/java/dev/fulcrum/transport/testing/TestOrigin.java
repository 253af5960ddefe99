package dev.fulcrum.transport.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A real HTTP/1.1 origin on 127.0.0.1 for integration tests, with endpoints that exercise a proxy.
 *
 * <p>Endpoints (any method): {@code /size/N[?chunked=1]} N pattern bytes; {@code /upload} answers "length crc32" of
 * the request body; {@code /status/N}; {@code /slow/MS}; {@code /hang} never answers; {@code /close} closes without
 * answering; {@code /stall} stops reading the request body; {@code /headers} sends Server and X-Powered-By; {@code /text/N[?gzip=1]} N bytes of text/plain (optionally already gzip-encoded); {@code [/prefix]/redirect/CODE?to=URL} answers CODE with that Location; anything else answers "NAME METHOD URI". Every request
 * is recorded with its connection number and headers.
 *
 * <p>Thread-safe: runs on its own NIO loop; recorded requests are read from the test thread.
 */
public final class TestOrigin implements AutoCloseable {
    /** A request as the origin saw it. */
    public record Seen(int connection, String method, String uri, Map<String, List<String>> headers) {
        public String header(String name) {
            final List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final String name;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger http2Connections = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    /** SETTINGS_MAX_CONCURRENT_STREAMS of new HTTP/2 connections; 0 for Netty's default (unlimited). */
    private volatile int maxConcurrentStreams;
    private final AtomicLong bytesSent = new AtomicLong();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> sniNames = new ConcurrentLinkedQueue<>();
    private final SslContext tls;

    public TestOrigin(String name) throws InterruptedException {
        this(name, null);
    }

    /**
     * An origin that speaks TLS with {@code tls} (a server context) when it is not null; the SNI name of every
     * connection is recorded in {@link #sniNames()}.
     */
    public TestOrigin(String name, SslContext tls) throws InterruptedException {
        this(name, tls, false);
    }

    /**
     * As above; with {@code http2} the origin speaks HTTP/2: in cleartext only (h2c with prior knowledge), over TLS
     * whatever ALPN chose (h2 when {@code tls} offers it and the client asks, else HTTP/1.1). Each stream is answered
     * like an HTTP/1.1 request, all of a connection's streams counted as that one connection.
     */
    public TestOrigin(String name, SslContext tls, boolean http2) throws InterruptedException {
        this.name = name;
        this.tls = tls;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        final int id = connections.incrementAndGet();
                        openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                        if (tls != null) {
                            ch.pipeline().addLast(new SniHandler(sni -> {
                                sniNames.add(sni == null ? "" : sni);
                                return tls;
                            }));
                        }
                        if (http2 && tls == null) {
                            addHttp2(ch.pipeline(), id);
                            return;
                        }
                        if (http2) {
                            // Like a real server offering h2 and http/1.1: the handshake's ALPN result picks the
                            // protocol (and the server preface must go out encrypted, so the handlers wait for it).
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                        ctx.pipeline().remove(this);
                                        if ("h2".equals(ctx.pipeline().get(SslHandler.class).applicationProtocol())) {
                                            addHttp2(ch.pipeline(), id);
                                        } else {
                                            ch.pipeline().addLast(new HttpServerCodec(), new OriginHandler(id));
                                        }
                                    }
                                    ctx.fireUserEventTriggered(evt);
                                }
                            });
                            return;
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new OriginHandler(id));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    private void addHttp2(ChannelPipeline pipeline, int id) {
        http2Connections.incrementAndGet();
        final int maxStreams = maxConcurrentStreams;
        pipeline.addLast(Http2FrameCodecBuilder.forServer().initialSettings(maxStreams > 0
                        ? Http2Settings.defaultSettings().maxConcurrentStreams(maxStreams)
                        : Http2Settings.defaultSettings()).build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new OriginHandler(id));
                    }
                }));
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String url() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** The SNI names TLS clients sent, one per handshake ("" when a client sent none). */
    public List<String> sniNames() {
        return List.copyOf(sniNames);
    }

    /** TCP connections accepted so far. */
    /** Limits the streams a client may open on each new HTTP/2 connection. */
    public TestOrigin maxConcurrentStreams(int streams) {
        this.maxConcurrentStreams = streams;
        return this;
    }

    /** Connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Connections that spoke HTTP/2 (h2c, or h2 chosen by ALPN). */
    public int http2Connections() {
        return http2Connections.get();
    }

    public int connections() {
        return connections.get();
    }

    /** Response body bytes handed to the socket so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Forgets the recorded requests (long-running tests measure memory without this history). */
    public void clearSeen() {
        seen.clear();
    }

    public Seen lastSeen() {
        Seen last = null;
        for (Seen s : seen) {
            last = s;
        }
        return last;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final byte[] PATTERN = new byte[64 * 1024 + 26];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = patternByte(i);
        }
    }

    /** Deterministic body byte at offset i. */
    public static byte patternByte(long i) {
        return (byte) ('a' + (i % 26));
    }

    private final class OriginHandler extends ChannelInboundHandlerAdapter {
        private final int connection;
        private HttpRequest request;
        private long uploadLength;
        private final CRC32 uploadCrc = new CRC32();

        OriginHandler(int connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest) {
                    request = (HttpRequest) msg;
                    uploadLength = 0;
                    uploadCrc.reset();
                    final Map<String, List<String>> headers = new java.util.TreeMap<>();
                    for (Map.Entry<String, String> e : request.headers()) {
                        headers.computeIfAbsent(e.getKey().toLowerCase(), k -> new java.util.ArrayList<>()).add(e.getValue());
                    }
                    seen.add(new Seen(connection, request.method().name(), request.uri(), headers));
                    if (request.uri().startsWith("/stall")) {
                        // A backend that stops reading the request body: the proxy must stop reading the client.
                        ctx.channel().config().setAutoRead(false);
                    }
                }
                if (msg instanceof HttpContent) {
                    final ByteBuf content = ((HttpContent) msg).content();
                    uploadLength += content.readableBytes();
                    if (content.hasArray()) {
                        uploadCrc.update(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes());
                    } else {
                        uploadCrc.update(content.nioBuffer());
                    }
                    if (msg instanceof LastHttpContent) {
                        respond(ctx, request);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** A 200 announcing {@code size} bytes followed by only half of them. */
        private io.netty.channel.ChannelFuture writeHalfABody(ChannelHandlerContext ctx, int size) {
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, size);
            ctx.write(head);
            return ctx.writeAndFlush(new DefaultHttpContent(io.netty.buffer.Unpooled.wrappedBuffer(new byte[size / 2])));
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest req) {
            final QueryStringDecoder query = new QueryStringDecoder(req.uri());
            final String path = query.path();
            final boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (path.startsWith("/size/")) {
                final long size = Long.parseLong(path.substring("/size/".length()));
                final boolean chunked = query.parameters().containsKey("chunked");
                new BodyStreamer(ctx, size, chunked, keepAlive).start();
            } else if (path.equals("/upload")) {
                send(ctx, HttpResponseStatus.OK, uploadLength + " " + uploadCrc.getValue(), keepAlive);
            } else if (path.startsWith("/status/")) {
                final int code = Integer.parseInt(path.substring("/status/".length()));
                final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
                if (code != 204 && code != 304) {
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                }
                if (code == 304) {
                    r.headers().set(HttpHeaderNames.ETAG, "\"v1\"");
                }
                write(ctx, r, keepAlive);
            } else if (path.startsWith("/slow/")) {
                final long millis = Long.parseLong(path.substring("/slow/".length()));
                ctx.executor().schedule(() -> send(ctx, HttpResponseStatus.OK, name + " slow", keepAlive),
                        millis, TimeUnit.MILLISECONDS);
            } else if (path.equals("/hang")) {
                // never answer
            } else if (path.equals("/goaway") && ctx.channel().parent() != null) {
                // HTTP/2: answer this stream, and tell the client to open no more streams on this connection.
                ctx.channel().parent().writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame(
                        io.netty.handler.codec.http2.Http2Error.NO_ERROR));
                send(ctx, HttpResponseStatus.OK, name + " going away", keepAlive);
            } else if (path.equals("/drop-connection-once")
                    && seen.stream().filter(s -> s.uri().equals(req.uri())).count() == 1) {
                // The first time: the whole connection goes (an HTTP/2 connection with all its streams), unanswered.
                (ctx.channel() instanceof Http2StreamChannel ? ctx.channel().parent() : ctx.channel()).close();
            } else if (path.equals("/close")) {
                ctx.close();
            } else if (path.startsWith("/halt/")) {
                // Announces N bytes, sends half, then goes silent with the connection open.
                writeHalfABody(ctx, Integer.parseInt(path.substring("/halt/".length())));
            } else if (path.startsWith("/truncate/")) {
                // Announces N bytes, sends half, then resets the connection: a backend dying in a body.
                writeHalfABody(ctx, Integer.parseInt(path.substring("/truncate/".length())))
                        .addListener(f -> {
                            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                            ctx.close();
                        });
            } else if (path.startsWith("/text/")) {
                // N bytes of text/plain; ?gzip=1 sends them gzip-encoded (Content-Encoding: gzip) already.
                final int size = Integer.parseInt(path.substring("/text/".length()));
                final byte[] text = new byte[size];
                for (int i = 0; i < size; i++) {
                    text[i] = (byte) ("fulcrum proxies text ".charAt(i % 21));
                }
                byte[] body = text;
                if (query.parameters().containsKey("gzip")) {
                    final java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
                    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
                        out.write(text);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    body = gz.toByteArray();
                }
                final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        io.netty.buffer.Unpooled.wrappedBuffer(body));
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                if (query.parameters().containsKey("gzip")) {
                    r.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
                }
                write(ctx, r, keepAlive);
            } else if (path.contains("/redirect/")) {
                // A backend redirect (also under a rewrite prefix): status from the path, Location from ?to=.
                final int code = Integer.parseInt(path.substring(path.lastIndexOf("/redirect/") + "/redirect/".length()));
                final String raw = req.uri();
                final String to = raw.substring(raw.indexOf("to=") + 3);
                final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
                r.headers().set(HttpHeaderNames.LOCATION, QueryStringDecoder.decodeComponent(to))
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                write(ctx, r, keepAlive);
            } else if (path.equals("/headers")) {
                final FullHttpResponse r = full(HttpResponseStatus.OK, "headers");
                r.headers().set(HttpHeaderNames.SERVER, "nginx").set("X-Powered-By", "php")
                        .set(HttpHeaderNames.CONNECTION, "keep-alive, X-Hop").set("X-Hop", "secret")
                        .set("Keep-Alive", "timeout=5");
                write(ctx, r, keepAlive);
            } else {
                send(ctx, HttpResponseStatus.OK, name + " " + req.method() + " " + req.uri(), keepAlive);
            }
        }

        private FullHttpResponse full(HttpResponseStatus status, String body) {
            final byte[] bytes = body.getBytes(CharsetUtil.UTF_8);
            final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            return r;
        }

        private void send(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
            write(ctx, full(status, body), keepAlive);
        }

        private void write(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive) {
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(response);
            }
        }
    }

    /** Streams a pattern body in 64 KiB chunks, writing only while the socket is writable. */
    private final class BodyStreamer implements ChannelFutureListener {
        private static final int CHUNK = 64 * 1024;
        private final ChannelHandlerContext ctx;
        private final long size;
        private final boolean keepAlive;
        private final boolean chunked;
        private long offset;

        BodyStreamer(ChannelHandlerContext ctx, long size, boolean chunked, boolean keepAlive) {
            this.ctx = ctx;
            this.size = size;
            this.chunked = chunked;
            this.keepAlive = keepAlive;
        }

        void start() {
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            if (chunked) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else {
                HttpUtil.setContentLength(head, size);
            }
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            if (!keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.write(head);
            pump();
        }

        private void pump() {
            io.netty.channel.ChannelFuture last = null;
            while (offset < size && ctx.channel().isWritable()) {
                final int n = (int) Math.min(CHUNK, size - offset);
                // One bulk write per chunk: paranoid leak detection records every buffer access.
                final ByteBuf buf = ctx.alloc().buffer(n).writeBytes(PATTERN, (int) (offset % 26), n);
                offset += n;
                bytesSent.addAndGet(n);
                last = ctx.write(new DefaultHttpContent(buf));
            }
            if (offset >= size) {
                final var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                ctx.flush();
                // Resume when the socket drains; the completion of the last chunk written is the simplest trigger
                // (an HTTP/2 stream channel takes HTTP objects only, so no empty-buffer marker write).
                if (last != null) {
                    last.addListener(this);
                } else {
                    ctx.executor().schedule(this::retry, 5, TimeUnit.MILLISECONDS);
                }
            }
        }

        @Override
        public void operationComplete(io.netty.channel.ChannelFuture future) {
            if (!future.isSuccess()) {
                return;
            }
            if (ctx.channel().isWritable()) {
                pump();
            } else {
                ctx.executor().schedule(this::retry, 5, TimeUnit.MILLISECONDS);
            }
        }

        private void retry() {
            if (ctx.channel().isActive()) {
                if (ctx.channel().isWritable()) {
                    pump();
                } else {
                    ctx.executor().schedule(this::retry, 5, TimeUnit.MILLISECONDS);
                }
            }
        }
    }
}
