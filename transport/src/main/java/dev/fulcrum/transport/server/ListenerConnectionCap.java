package dev.fulcrum.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.CharsetUtil;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open client connections of each listener port. A connection over the cap gets a fixed 503 and is
 * closed before anything is read from it, so a flood of idle connections cannot exhaust file descriptors and
 * starve the connections already being served.
 *
 * <p>Thread-safe: the per-port map is filled in the constructor and only read afterwards (final field, safe
 * publication); the counters are atomics shared by every event loop accepting on that port.
 */
final class ListenerConnectionCap {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerConnectionCap.class);
    private static final String BODY = "{\"status\":503,\"error\":\"too many client connections\"}\n";
    private static final ByteBuf OVER_CAPACITY = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer((
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length()
                    + "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n" + BODY)
            .getBytes(CharsetUtil.US_ASCII)).asReadOnly());

    private final int maxPerListener;
    private final Int2ObjectHashMap<AtomicInteger> openByPort = new Int2ObjectHashMap<>();
    private final ChannelFutureListener onClose = future -> decrement(future.channel());

    ListenerConnectionCap(int maxPerListener, Iterable<Integer> ports) {
        this.maxPerListener = maxPerListener;
        for (int port : ports) {
            openByPort.put(port, new AtomicInteger());
        }
    }

    /**
     * Counts a new connection against its listener.
     *
     * @return false when the listener is full: the connection has been answered 503 and is being closed
     */
    boolean admit(Channel ch) {
        return admit(ch, true);
    }

    /** As {@link #admit}, but a refused connection is closed without an answer: on a TLS port plain text is noise. */
    boolean admitQuietly(Channel ch) {
        return admit(ch, false);
    }

    private boolean admit(Channel ch, boolean answer) {
        final AtomicInteger open = counter(ch);
        if (open == null) {
            return true;
        }
        if (open.incrementAndGet() > maxPerListener) {
            open.decrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("listener {} at its cap of {} connections: refusing {}", ch.localAddress(),
                        maxPerListener, ch.remoteAddress());
            }
            if (answer) {
                ch.writeAndFlush(OVER_CAPACITY.duplicate()).addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.close();
            }
            return false;
        }
        ch.closeFuture().addListener(onClose);
        return true;
    }

    /** Open connections on a listener port (for tests and metrics). */
    int open(int port) {
        final AtomicInteger open = openByPort.get(port);
        return open == null ? 0 : open.get();
    }

    private void decrement(Channel ch) {
        final AtomicInteger open = counter(ch);
        if (open != null) {
            open.decrementAndGet();
        }
    }

    private AtomicInteger counter(Channel ch) {
        final SocketAddress local = ch.localAddress();
        return local instanceof InetSocketAddress ? openByPort.get(((InetSocketAddress) local).getPort()) : null;
    }
}
