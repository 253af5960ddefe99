package dev.fulcrum.transport.routing;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestCertificates;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTP/2 towards clients, relayed to HTTP/1.1 origins: h2 over TLS chosen by ALPN (JDK HttpClient), h2c with prior
 * knowledge (nghttp, h2load where installed), streamed bodies both ways, and 1,000 concurrent streams on one
 * connection.
 */
@Timeout(120)
class Http2Test {
    private static TestCertificates ca;
    private static TestCertificates.Issued cert;
    private TestOrigin origin;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.create();
        cert = ca.issue("h2", "h2.test", "ip:127.0.0.1");
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        ca.delete();
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private String tlsYaml() {
        return "services:\n  - port: {port}\n    tls:\n      enabled: true\n      cert_file: " + cert.certFile()
                + "\n      key_file: " + cert.keyFile() + "\n    locations:\n      - backends:\n          - url: "
                + origin.url() + "\n";
    }

    private HttpClient h2Client() throws Exception {
        return HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void alpnChoosesH2AndStreamsBodiesBothWays(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, tlsYaml())) {
            final HttpClient client = h2Client();
            final String base = "https://127.0.0.1:" + proxy.port();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/hello?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals(200, r.statusCode());
            assertEquals("o GET /hello?x=1", r.body());
            assertEquals("127.0.0.1:" + proxy.port(), origin.lastSeen().header("host"), ":authority became Host");
            assertEquals("https", origin.lastSeen().header("x-forwarded-proto"));

            final byte[] upload = new byte[3 << 20];
            for (int i = 0; i < upload.length; i++) {
                upload[i] = (byte) (i * 7);
            }
            final CRC32 crc = new CRC32();
            crc.update(upload);
            r = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(upload.length + " " + crc.getValue(), r.body(), "request body streamed to the backend");

            final HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(URI.create(base + "/size/5000000?chunked=1"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(5_000_000, big.body().length);
            for (int i = 0; i < big.body().length; i += 99_991) {
                assertEquals(TestOrigin.patternByte(i), big.body()[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aThousandConcurrentStreamsOnOneConnection(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, tlsYaml())) {
            final HttpClient client = h2Client();
            final String base = "https://127.0.0.1:" + proxy.port();
            // One request first, so the client has its single connection before the burst.
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/warm")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            final List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/slow/300?i=" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                final HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                if (r.statusCode() == 200 && r.body().equals("o slow")) {
                    ok++;
                }
            }
            assertEquals(1000, ok);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aStreamWhoseBackendDoesNotAnswerGets504WhileTheOtherStreamsGoOn(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, "timeouts: {response: 700ms}\n" + tlsYaml())) {
            final HttpClient client = h2Client();
            final String base = "https://127.0.0.1:" + proxy.port();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/warm")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            final CompletableFuture<HttpResponse<String>> hung = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/hang")).build(), HttpResponse.BodyHandlers.ofString());
            // Streams on the same connection while the hung one waits: each is answered.
            for (int i = 0; i < 5; i++) {
                final HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/slow/50?i=" + i))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                assertEquals("o slow", r.body());
            }
            assertTrue(!hung.isDone(), "the hung stream is still waiting");
            final HttpResponse<String> timedOut = hung.get(10, TimeUnit.SECONDS);
            assertEquals(HttpClient.Version.HTTP_2, timedOut.version());
            assertEquals(504, timedOut.statusCode());
            assertTrue(timedOut.body().contains("upstream response timeout"), timedOut.body());
            final HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(base + "/after")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode());
            assertEquals("o GET /after", after.body());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void h2cWithPriorKnowledgeFromNghttpAndH2load(TransportKind kind) throws Exception {
        final String nghttp = TlsTerminationTest.which("nghttp");
        final String h2load = TlsTerminationTest.which("h2load");
        assumeTrue(nghttp != null || h2load != null, "nghttp2-client (nghttp, h2load) not installed");
        try (ProxyFixture proxy = ProxyFixture.over(kind, "", origin.url())) {
            final String url = "http://127.0.0.1:" + proxy.port();
            if (nghttp != null) {
                final String out = run(nghttp, "-t", "10", url + "/via-nghttp");
                assertEquals("o GET /via-nghttp", out.trim());
            }
            if (h2load != null) {
                final String out = run(h2load, "-n", "1000", "-c", "1", "-m", "100", url + "/");
                assertTrue(out.contains("1000 succeeded"), out);
            }
            // The same listener still speaks HTTP/1.1.
            assertEquals("o GET /h1", proxy.get("/h1").body());
        }
    }

    private static String run(String... command) throws Exception {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
