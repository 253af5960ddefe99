package dev.fulcrum.bench.jmh.transport;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.transport.proxy.ProxyContext;
import dev.fulcrum.transport.proxy.ProxyExchangeHandler;
import dev.fulcrum.transport.proxy.ProxyPipeline;
import dev.fulcrum.transport.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real client pipeline ({@link ProxyPipeline} with a {@link ProxyExchangeHandler}) and a real
 * {@link UpstreamPool}, wired to embedded channels on both sides, so one call of {@link #exchange} pushes one
 * keep-alive GET through the whole forwarding path without sockets.
 *
 * <p>Not thread-safe: one rig per benchmark thread. The client channel's embedded loop stands in for the event loop
 * that owns the pool and the upstream connection, as in production where both sides share a loop.
 *
 * <p>Ownership: the request and response templates are pooled direct buffers owned by the rig; each exchange feeds
 * retained duplicates of them, which the pipelines release. Everything the channels write out is released here
 * (after an optional {@link Inspector} looked at it).
 */
public final class ForwardingRig implements AutoCloseable {
    /** The proxy listens here as far as routing knows; the embedded client channel reports it as its local address. */
    static final int PROXY_PORT = 8080;
    /** Never dialled: the embedded connector stands in for the TCP connect. */
    static final String BACKEND_URL = "http://127.0.0.1:9";
    /** Checks every 1024th exchange: often enough to catch a broken path in a 1 s iteration, rare enough to be free. */
    private static final int VERIFY_MASK = 1023;

    /** Sees each buffer a channel wrote, before the rig releases it. Must not release or keep it. */
    @FunctionalInterface
    public interface Inspector {
        void inspect(ByteBuf written);
    }

    private final int bodyBytes;
    private final ByteBuf request;
    private final ByteBuf response;
    private final EmbeddedUpstreamConnector connector;
    private final AddressedEmbeddedChannel client;
    private UpstreamPool pool;
    private long expectedClientBytes = -1;
    private long exchanges;

    /** @param bodyBytes size of the backend's response body */
    public ForwardingRig(int bodyBytes) {
        this.bodyBytes = bodyBytes;
        this.request = template(requestText());
        this.response = template(responseHead(bodyBytes), bodyBytes);
        final FulcrumConfig config = FulcrumConfig.forBackends(PROXY_PORT, List.of(BACKEND_URL), "round-robin", 1, "nio");
        this.connector = new EmbeddedUpstreamConnector(config.limits().maxHeaderBytes());
        final long idleNanos = TimeUnit.MILLISECONDS.toNanos(config.connectionPool().idleTimeoutMillis());
        // The initializer runs while the channel registers, when its loop is known: the same moment production's
        // ClientChannelInitializer installs the pipeline, so the exchange handler sees channelActive as usual.
        this.client = new AddressedEmbeddedChannel(new InetSocketAddress("127.0.0.1", PROXY_PORT),
                new InetSocketAddress("127.0.0.1", 50_000), new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pool = new UpstreamPool(ch.eventLoop(), connector, config.connectionPool().maxIdlePerBackend(),
                                idleNanos);
                        final ProxyContext context = new ProxyContext(config, RoutingTable.build(config),
                                Map.of(ch.eventLoop(), pool),
                                new DefaultChannelGroup("bench-clients", GlobalEventExecutor.INSTANCE));
                        ProxyPipeline.install(ch.pipeline(), new ProxyExchangeHandler(context), config.limits());
                    }
                });
    }

    /**
     * One keep-alive exchange: the client's GET in, the request out to the upstream, the backend's response in, the
     * response out to the client.
     *
     * @param inspector sees every buffer the client channel wrote, or null
     * @return bytes written to the client (the encoded response)
     * @throws IllegalStateException when a periodic check finds the path broken
     */
    public long exchange(Inspector inspector) {
        final EmbeddedChannel c = client;
        c.writeOneInbound(request.retainedDuplicate(), c.voidPromise());
        c.flushInbound();

        final EmbeddedChannel upstream = connector.last();
        if (upstream == null) {
            throw new IllegalStateException("the proxy did not open an upstream connection");
        }
        final long upstreamBytes = drain(upstream, null);

        upstream.writeOneInbound(response.retainedDuplicate(), upstream.voidPromise());
        upstream.flushInbound();

        final long clientBytes = drain(c, inspector);
        if ((exchanges++ & VERIFY_MASK) == 0) {
            verify(upstreamBytes, clientBytes);
        }
        return clientBytes;
    }

    private static long drain(EmbeddedChannel channel, Inspector inspector) {
        long bytes = 0;
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof ByteBuf) {
                final ByteBuf buf = (ByteBuf) msg;
                bytes += buf.readableBytes();
                if (inspector != null) {
                    inspector.inspect(buf);
                }
            }
            ReferenceCountUtil.release(msg);
        }
        return bytes;
    }

    private void verify(long upstreamBytes, long clientBytes) {
        client.checkException();
        if (upstreamBytes == 0) {
            throw new IllegalStateException("no request bytes reached the upstream");
        }
        if (clientBytes < bodyBytes + 17) { // "HTTP/1.1 200 OK\r\n" at least
            throw new IllegalStateException("short response to the client: " + clientBytes + " bytes");
        }
        if (expectedClientBytes < 0) {
            expectedClientBytes = clientBytes;
        } else if (clientBytes != expectedClientBytes) {
            throw new IllegalStateException("response size changed: " + clientBytes + " != " + expectedClientBytes);
        }
        if (connector.connects() != 1 || pool.idleCount() != 1) {
            throw new IllegalStateException("keep-alive reuse broken: connects=" + connector.connects() + " idle="
                    + pool.idleCount());
        }
    }

    /** Upstream connections opened so far; 1 once keep-alive reuse works. */
    public int upstreamConnects() {
        return connector.connects();
    }

    public int idleUpstreams() {
        return pool.idleCount();
    }

    /** The rig's request template; refCnt 0 after {@link #close}. */
    public ByteBuf requestTemplate() {
        return request;
    }

    /** The rig's response template; refCnt 0 after {@link #close}. */
    public ByteBuf responseTemplate() {
        return response;
    }

    /** Closes both channels and the pool and releases the templates. */
    @Override
    public void close() {
        client.finishAndReleaseAll();
        pool.closeAll();
        final EmbeddedChannel upstream = connector.last();
        if (upstream != null) {
            upstream.finishAndReleaseAll();
        }
        client.runPendingTasks();
        request.release();
        response.release();
    }

    private static String requestText() {
        return "GET /api/items?id=42 HTTP/1.1\r\n"
                + "Host: bench.fulcrum.local\r\n"
                + "User-Agent: fulcrum-jmh/1.0\r\n"
                + "Accept: */*\r\n"
                + "\r\n";
    }

    private static String responseHead(int bodyBytes) {
        return "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: " + bodyBytes + "\r\n"
                + "Server: origin\r\n"
                + "\r\n";
    }

    private static ByteBuf template(String head) {
        return template(head, 0);
    }

    /** A pooled direct buffer with {@code head} then {@code bodyBytes} bytes of a repeating pattern. */
    private static ByteBuf template(String head, int bodyBytes) {
        final byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        final ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(h.length + bodyBytes);
        buf.writeBytes(h);
        for (int i = 0; i < bodyBytes; i++) {
            buf.writeByte('a' + i % 26);
        }
        return buf;
    }
}
