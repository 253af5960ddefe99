package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.ControlConfigLoader;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.server.ProxyServer;
import dev.fulcrum.transport.testing.ProxyFixture;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A proxy started from a config file on disk, with its control runtime (admin API on a free 127.0.0.1 port), and a
 * JDK HTTP client for both. {@code {port}} in the YAML is the proxy port. Used from one test thread.
 */
final class AdminFixture implements AutoCloseable {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final String READER_PASSWORD = "reader password 1";
    static final String API_KEY = "key-for-tests-0123456789";
    /** bcrypt at the minimum cost keeps tests fast; production hashes use AdminAuth.BCRYPT_COST. */
    static final String ADMIN_HASH = AdminAuth.hashPassword(ADMIN_PASSWORD.toCharArray(), 4);
    static final String READER_HASH = AdminAuth.hashPassword(READER_PASSWORD.toCharArray(), 4);
    static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    final int port;
    final ProxyServer server;
    final ControlRuntime runtime;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AdminFixture(Path file, int port, ProxyServer server, ControlRuntime runtime) {
        this.file = file;
        this.port = port;
        this.server = server;
        this.runtime = runtime;
    }

    /** The auth and api sections every admin test uses; {@code apiExtra} goes inside {@code api:}. */
    static String adminYaml(String apiExtra) {
        return "api:\n  port: 0\n  bind: 127.0.0.1\n" + apiExtra
                + "auth:\n  jwt_secret: " + SECRET + "\n  users:\n"
                + "    - {username: root, password_hash: '" + ADMIN_HASH + "', role: admin}\n"
                + "    - {username: viewer, password_hash: '" + READER_HASH + "', role: reader}\n"
                + "  api_keys:\n    - {name: ci, key: " + API_KEY + ", role: admin}\n";
    }

    static AdminFixture start(TransportKind kind, Path dir, String yaml) throws Exception {
        ProxyFixture.assumeAvailable(kind);
        final int port = ProxyFixture.freePort();
        final Path file = dir.resolve("fulcrum.yaml");
        Files.writeString(file, header(kind) + yaml.replace("{port}", Integer.toString(port)));
        final ProxyServer server = ProxyServer.start(ConfigLoader.load(file));
        try {
            final ControlRuntime runtime = ControlRuntime.start(server, ControlConfigLoader.load(file, null),
                    new ConfigSource(file, null, c -> c));
            return new AdminFixture(file, port, server, runtime);
        } catch (Exception | Error e) {
            server.drainAndStop(0);
            throw e;
        }
    }

    static String header(TransportKind kind) {
        return "transport: " + kind.configName() + "\nio_threads: 2\nbind: 127.0.0.1\n";
    }

    /** Rewrites the config file (the proxy port stays). */
    void rewrite(TransportKind kind, String yaml) throws IOException {
        Files.writeString(file, header(kind) + yaml.replace("{port}", Integer.toString(port)));
    }

    URI admin(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + runtime.admin().address().getPort() + pathAndQuery);
    }

    URI proxy(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpResponse<String> call(String method, String pathAndQuery, String token, String jsonBody)
            throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(admin(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String login(String user, String password) throws Exception {
        final HttpResponse<String> r = call("POST", "/api/auth/login", null,
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("login " + user + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("token").asText();
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(proxy(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        runtime.close();
        server.drainAndStop(2_000);
    }
}
