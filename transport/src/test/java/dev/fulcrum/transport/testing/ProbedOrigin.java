package dev.fulcrum.transport.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * An origin that counts health probes ({@code /health}) apart from the requests it serves. Its health endpoint
 * answers the status {@code status} gives at the time; other requests get 200, or 500 while {@code status} gives 500
 * (a backend that fails everything).
 */
public final class ProbedOrigin implements AutoCloseable {
    public final AtomicInteger probes = new AtomicInteger();
    public final AtomicInteger served = new AtomicInteger();
    private final HttpServer server;

    public ProbedOrigin(IntSupplier status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            final boolean probe = exchange.getRequestURI().getPath().equals("/health");
            (probe ? probes : served).incrementAndGet();
            final int code = probe || status.getAsInt() == 500 ? status.getAsInt() : 200;
            final byte[] body = "origin".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
