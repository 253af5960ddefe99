package dev.fulcrum.transport.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an {@link UpstreamConnection} reports to the client-side exchange it is bound to.
 *
 * <p>Called on the shared event loop only. Ownership: the listener owns every message it is given and must forward
 * or release it before returning.
 */
public interface UpstreamListener {
    void onResponseHead(UpstreamConnection connection, HttpResponse response);

    void onResponseContent(UpstreamConnection connection, HttpContent content);

    void onUpstreamReadComplete(UpstreamConnection connection);

    void onUpstreamWritabilityChanged(UpstreamConnection connection);

    /**
     * Raw bytes that followed a {@code 101 Switching Protocols} response (the codec passes them through undecoded).
     * The default releases them: only an exchange that asked for an upgrade expects any.
     */
    default void onUpgradedBytes(UpstreamConnection connection, ByteBuf bytes) {
        bytes.release();
    }

    /** The connection closed or failed while bound; {@code cause} is null for an orderly close. */
    void onUpstreamClosed(UpstreamConnection connection, Throwable cause);
}
