package dev.fulcrum.transport.testing;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.server.ProxyServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A proxy started from YAML on a free 127.0.0.1 port, plus a JDK HTTP client pointed at it.
 *
 * <p>Used from one test thread. {@code {port}} in the YAML is replaced by the chosen port.
 */
public final class ProxyFixture implements AutoCloseable {
    private final ProxyServer server;
    private final int port;
    private final HttpClient client;

    private ProxyFixture(ProxyServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Skips the calling test, printing why, when {@code kind} cannot run on this machine. */
    public static void assumeAvailable(TransportKind kind) {
        final Throwable cause = kind.unavailabilityCause();
        if (cause != null) {
            System.out.println("SKIPPED on " + kind.configName() + ": " + cause);
        }
        assumeTrue(cause == null, () -> kind.configName() + " unavailable: " + cause);
    }

    public static ProxyFixture start(TransportKind kind, String yaml) throws Exception {
        assumeAvailable(kind);
        final int port = freePort();
        final String text = "transport: " + kind.configName() + "\nio_threads: 2\nbind: 127.0.0.1\n"
                + yaml.replace("{port}", Integer.toString(port));
        final FulcrumConfig config;
        try {
            config = ConfigLoader.parse(text, "test.yaml");
        } catch (ConfigException e) {
            throw new AssertionError("bad test config: " + e.getMessage() + "\n" + text, e);
        }
        return new ProxyFixture(ProxyServer.start(config), port);
    }

    /** A proxy on one location "/" over the given origins with round robin. */
    public static ProxyFixture over(TransportKind kind, String extraYaml, String... backendUrls) throws Exception {
        final StringBuilder yaml = new StringBuilder("port: {port}\nbackends:\n");
        for (String url : backendUrls) {
            yaml.append("  - url: ").append(url).append('\n');
        }
        return start(kind, extraYaml + "\n" + yaml);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public ProxyServer server() {
        return server;
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Asks until the proxy answers {@code status} (health checks settle), for at most 10 s. */
    public void awaitStatus(int status) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = get("/probe-wait").statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("status " + last + ", expected " + status);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.drainAndStop(2_000);
    }
}
