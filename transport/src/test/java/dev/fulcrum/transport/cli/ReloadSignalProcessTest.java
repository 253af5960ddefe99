package dev.fulcrum.transport.cli;

import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --config F --api-config A} as a real process: the admin API from terraster's separate file, SIGHUP
 * reloads the main file, and {@code hash-password} makes a hash the API accepts.
 */
@Timeout(90)
class ReloadSignalProcessTest {
    @TempDir
    Path dir;

    private static List<String> java(String mainClass, String... args) {
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void sighupReloadsAndTheSeparateApiFileConfiguresTheAdminApi() throws Exception {
        final Process hasher = new ProcessBuilder(java(HashPasswordMain.class.getName(), "--cost", "4")).start();
        hasher.getOutputStream().write("s3cret pass\n".getBytes(StandardCharsets.UTF_8));
        hasher.getOutputStream().close();
        final String hash = new String(hasher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(hasher.waitFor(30, TimeUnit.SECONDS));
        assertTrue(hash.startsWith("$2b$04$") && hash.length() == 60, hash);

        try (TestOrigin a = new TestOrigin("a"); TestOrigin b = new TestOrigin("b")) {
            final int port = ProxyFixture.freePort();
            final int adminPort = ProxyFixture.freePort();
            final Path main = dir.resolve("config.yaml");
            final Path api = dir.resolve("api.config.yaml");
            Files.writeString(main, "bind: 127.0.0.1\nio_threads: 1\nport: " + port + "\nbackends:\n  - url: " + a.url() + "\n");
            Files.writeString(api, "api:\n  enabled: true\n  host: 127.0.0.1\n  port: " + adminPort + "\n"
                    + "database:\n  path: ./api.db\nauth:\n  jwt_secret: 0123456789abcdef0123456789abcdef\n"
                    + "  users:\n    - {username: ops, password_hash: '" + hash + "', role: admin}\n");
            final Process process = new ProcessBuilder(java(RunCommand.class.getName(), "--config", main.toString(),
                    "--api-config", api.toString(), "--warmup", "0")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                final String ready = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertTrue(ready != null && ready.endsWith("admin API on 127.0.0.1:" + adminPort), ready);
                final HttpClient client = HttpClient.newHttpClient();
                final HttpResponse<String> login = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/api/auth/login"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ops\",\"password\":\"s3cret pass\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, login.statusCode(), login.body());
                final URI who = URI.create("http://127.0.0.1:" + port + "/who");
                assertTrue(client.send(HttpRequest.newBuilder(who).build(), HttpResponse.BodyHandlers.ofString())
                        .body().startsWith("a "));

                Files.writeString(main, "bind: 127.0.0.1\nio_threads: 1\nport: " + port + "\nbackends:\n  - url: "
                        + b.url() + "\n");
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor());
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String body = "";
                while (System.nanoTime() < deadline && !body.startsWith("b ")) {
                    body = client.send(HttpRequest.newBuilder(who).build(), HttpResponse.BodyHandlers.ofString()).body();
                    Thread.sleep(50);
                }
                assertTrue(body.startsWith("b "), body);
                process.destroy();
                assertTrue(process.waitFor(20, TimeUnit.SECONDS));
                assertEquals(0, process.exitValue());
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** Runs {@code hash-password} as its own process, as {@code fulcrum hash-password} does. */
    public static final class HashPasswordMain {
        public static void main(String[] args) {
            System.exit(new picocli.CommandLine(new HashPasswordCommand()).execute(args));
        }
    }
}
