package dev.fulcrum.transport.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;

/**
 * The three I/O transports Fulcrum runs on, fastest first.
 *
 * <p>Immutable. Availability is probed by Netty once per JVM (native library load, kernel features).
 */
public enum TransportKind {
    IO_URING("io_uring") {
        @Override
        public Throwable unavailabilityCause() {
            return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return IoUringSocketChannel.class;
        }
    },
    EPOLL("epoll") {
        @Override
        public Throwable unavailabilityCause() {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return EpollSocketChannel.class;
        }
    },
    NIO("nio") {
        @Override
        public Throwable unavailabilityCause() {
            return null;
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return NioSocketChannel.class;
        }
    };

    private final String configName;

    TransportKind(String configName) {
        this.configName = configName;
    }

    /** The name used in config files and on the command line. */
    public String configName() {
        return configName;
    }

    /** Why this transport cannot run here, or null when it can. */
    public abstract Throwable unavailabilityCause();

    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    public abstract IoHandlerFactory ioHandlerFactory();

    public abstract Class<? extends ServerChannel> serverChannelClass();

    public abstract Class<? extends SocketChannel> socketChannelClass();

    /**
     * Parses a config or CLI name: {@code io_uring} (also {@code iouring}, {@code io-uring}), {@code epoll},
     * {@code nio}. Returns null for {@code auto} or null.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static TransportKind fromConfigName(String name) {
        if (name == null) {
            return null;
        }
        final String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "auto":
            case "":
                return null;
            case "io_uring":
            case "iouring":
            case "uring":
                return IO_URING;
            case "epoll":
                return EPOLL;
            case "nio":
                return NIO;
            default:
                throw new IllegalArgumentException("unknown transport '" + name + "' (expected auto, io_uring, epoll or nio)");
        }
    }
}
