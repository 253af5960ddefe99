package dev.fulcrum.transport.cli;

import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} as a real process: ready line on stdout, SIGTERM drains an in-flight request and exits 0. */
@Timeout(60)
class RunCommandProcessTest {
    @Test
    void printsTheReadyLineAndDrainsOnSigtermWithExitStatus0() throws Exception {
        try (TestOrigin origin = new TestOrigin("o1")) {
            final int port = ProxyFixture.freePort();
            final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            final Process process = new ProcessBuilder(List.of(java.toString(),
                    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), RunCommand.class.getName(),
                    "--port", Integer.toString(port), "--backend", origin.url(), "--io-threads", "1",
                    "--warmup", "1"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                final BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                final String ready = out.readLine();
                assertTrue(ready != null && ready.startsWith("fulcrum ready: listening on 0.0.0.0:" + port + " (transport "),
                        String.valueOf(ready));

                final HttpClient client = HttpClient.newHttpClient();
                final CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow/800")).build(),
                        HttpResponse.BodyHandlers.ofString());
                while (origin.seen().isEmpty()) {
                    Thread.sleep(10);
                }
                process.destroy(); // SIGTERM
                assertEquals(200, inFlight.get(10, TimeUnit.SECONDS).statusCode());
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the proxy did not exit after SIGTERM");
                assertEquals(0, process.exitValue());
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
