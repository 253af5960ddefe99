package dev.fulcrum.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One target's request, encoded once as HTTP/1.1 bytes: every send writes a retained duplicate of the same direct
 * buffer, so sending allocates no request object and encodes nothing.
 *
 * <p>Thread-safe after construction (duplicates have their own indices); {@link #release} once at the end.
 */
final class RequestTemplate {
    private final URI target;
    private final boolean head;
    private final ByteBuf encoded;

    RequestTemplate(URI target, String method, List<Map.Entry<String, String>> headers, byte[] body) {
        this.target = target;
        this.head = "HEAD".equalsIgnoreCase(method);
        final StringBuilder text = new StringBuilder(128);
        final String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        text.append(method.toUpperCase(Locale.ROOT)).append(' ').append(path);
        if (target.getRawQuery() != null) {
            text.append('?').append(target.getRawQuery());
        }
        text.append(" HTTP/1.1\r\n");
        boolean hostGiven = false;
        for (Map.Entry<String, String> header : headers) {
            hostGiven |= header.getKey().equalsIgnoreCase("host");
            text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!hostGiven) {
            text.append("Host: ").append(authority(target)).append("\r\n");
        }
        if (body.length > 0 || !"GET".equalsIgnoreCase(method) && !head) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        text.append("\r\n");
        final byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        encoded = Unpooled.directBuffer(headBytes.length + body.length).writeBytes(headBytes).writeBytes(body);
    }

    private static String authority(URI target) {
        return target.getPort() < 0 ? target.getHost() : target.getHost() + ':' + target.getPort();
    }

    URI target() {
        return target;
    }

    int port() {
        return target.getPort() < 0 ? 80 : target.getPort();
    }

    /** A HEAD response announces a body length it does not send: the decoder must be told. */
    boolean head() {
        return head;
    }

    /** The request bytes for one send; the write releases them. */
    ByteBuf next() {
        return encoded.retainedDuplicate();
    }

    int sizeBytes() {
        return encoded.readableBytes();
    }

    void release() {
        encoded.release();
    }
}
