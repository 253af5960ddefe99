package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.AdminConfig;
import dev.fulcrum.core.config.ControlConfig;
import dev.fulcrum.transport.server.ProxyServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;

import javax.net.ssl.SSLException;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener: its own event loop (one thread, same transport as the proxy), HTTP/1.1 with bodies up to
 * {@link #MAX_BODY_BYTES}, optional TLS, and {@link AdminHandler}.
 *
 * <p>Started and stopped by the control thread of the process (RunCommand or a test).
 */
public final class AdminServer implements AutoCloseable {
    /** Admin bodies are small JSON documents. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** An admin client that sends nothing for this long is closed. */
    static final int READ_TIMEOUT_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel channel;
    private final boolean tls;
    private volatile AdminAuth auth;

    private AdminServer(EventLoopGroup group, Channel channel, boolean tls) {
        this.group = group;
        this.channel = channel;
        this.tls = tls;
    }

    /**
     * Binds the admin listener. Later reloads replace users and API keys (listener settings need a restart).
     *
     * @throws SSLException when the certificate or key cannot be loaded (never a silent fall back to plain HTTP)
     */
    public static AdminServer start(ControlConfig control, ProxyServer proxy, ControlPlane plane, Reloader reloader)
            throws InterruptedException, SSLException {
        final AdminConfig config = control.admin();
        final SslContext ssl = config.tls()
                ? SslContextBuilder.forServer(new File(config.tlsCertFile()), new File(config.tlsKeyFile())).build()
                : null;
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, proxy.transport().ioHandlerFactory());
        try {
            final AdminServer[] self = new AdminServer[1];
            final AdminHandler handler = new AdminHandler(plane,
                    new ClientAllowlist(config.allowedCidrs(), config.trustedProxies()), () -> self[0].auth,
                    new AdminApi(proxy, reloader));
            final Channel channel = new ServerBootstrap().group(group).channel(proxy.transport().serverChannelClass())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            final ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast("tls", ssl.newHandler(ch.alloc()));
                            }
                            p.addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS));
                            p.addLast("codec", new HttpServerCodec());
                            p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES));
                            p.addLast("admin", handler);
                        }
                    })
                    .bind(config.bind(), config.port()).sync().channel();
            final AdminServer server = new AdminServer(group, channel, ssl != null);
            server.auth = new AdminAuth(config.auth(), System::currentTimeMillis);
            self[0] = server;
            reloader.onApplied(next -> {
                // A new authenticator only when users or keys changed: lockouts and spent refresh tokens stay.
                if (!next.admin().auth().equals(server.auth.config())) {
                    server.auth = new AdminAuth(next.admin().auth(), System::currentTimeMillis);
                }
            });
            return server;
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public boolean tls() {
        return tls;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
