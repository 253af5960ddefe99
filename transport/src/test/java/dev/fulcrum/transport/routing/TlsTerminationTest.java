package dev.fulcrum.transport.routing;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
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

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS termination with a CA made in the test: SNI chooses between service certificates, a client without SNI gets
 * the port's default certificate, TLS 1.2+ only, ALPN, certificate files reloaded when they change, and HTTPS seen
 * by the rules (X-Forwarded-Proto, redirect scheme, HSTS).
 */
@Timeout(90)
class TlsTerminationTest {
    private static TestCertificates ca;
    private static TestCertificates.Issued certA;
    private static TestCertificates.Issued certB;
    private static TestCertificates.Issued certDefault;
    private TestOrigin origin;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.create();
        certA = ca.issue("a", "a.test");
        certB = ca.issue("b", "b.test", "*.b.test");
        certDefault = ca.issue("default", "default.test", "ip:127.0.0.1");
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

    private String yaml(TestCertificates.Issued a) {
        final String backend = "    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        return "services:\n"
                + "  - host: a.test\n    port: {port}\n" + tls(a)
                + "    middleware:\n      - security: {hsts: true, hsts_max_age: 600}\n" + backend
                + "      - path: /go\n        redirect: /went\n        backends:\n          - url: " + origin.url() + "\n"
                + "  - host: '*.b.test'\n    port: {port}\n" + tls(certB) + backend
                + "  - port: {port}\n" + tls(certDefault) + backend;
    }

    private static String tls(TestCertificates.Issued cert) {
        return "    tls:\n      enabled: true\n      cert_file: " + cert.certFile() + "\n      key_file: "
                + cert.keyFile() + "\n";
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void sniChoosesTheServiceCertificateAndClientsWithoutSniGetTheDefault(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml(certA))) {
            Exchange e = exchange(proxy.port(), "a.test", "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
            assertEquals("a.test", e.commonName);
            assertTrue(e.protocol.equals("TLSv1.3") || e.protocol.equals("TLSv1.2"), e.protocol);
            assertEquals("http/1.1", e.alpn);
            assertTrue(e.response.startsWith("HTTP/1.1 200"), e.response);
            assertTrue(e.response.contains("strict-transport-security: max-age=600"), "HSTS over HTTPS: " + e.response);
            assertEquals("https", origin.lastSeen().header("x-forwarded-proto"));

            e = exchange(proxy.port(), "x.b.test", "GET / HTTP/1.1\r\nHost: x.b.test\r\nConnection: close\r\n\r\n");
            assertEquals("b.test", e.commonName, "wildcard service certificate");

            e = exchange(proxy.port(), null, "GET / HTTP/1.1\r\nHost: whatever\r\nConnection: close\r\n\r\n");
            assertEquals("default.test", e.commonName, "no SNI: the port's default certificate");
            assertTrue(e.response.startsWith("HTTP/1.1 200"));

            e = exchange(proxy.port(), "a.test", "GET /go HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
            assertTrue(e.response.contains("location: https://a.test/went"), e.response);

            final HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext())
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + proxy.port() + "/via-jdk")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("o GET /via-jdk", r.body());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void http2FalseAndNextProtosDecideWhatAlpnOffersPerService(TransportKind kind) throws Exception {
        final String backend = "    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        final String yaml = "services:\n"
                + "  - host: a.test\n    port: {port}\n" + tls(certA) + "      next_protos: [http/1.1]\n" + backend
                + "  - host: '*.b.test'\n    port: {port}\n" + tls(certB)
                + "      next_protos: [http/1.1, h2]\n" + backend
                + "  - port: {port}\n" + tls(certDefault) + "      http2: false\n" + backend;
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml)) {
            assertEquals("http/1.1", alpn(proxy.port(), "a.test", "h2", "http/1.1"), "next_protos without h2");
            assertEquals("http/1.1", alpn(proxy.port(), "x.b.test", "h2", "http/1.1"),
                    "next_protos order is the server's preference");
            assertEquals("h2", alpn(proxy.port(), "x.b.test", "h2"));

            // no SNI (an address): the default service, whose http2: false leaves HTTP/1.1 only
            final HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext())
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + proxy.port() + "/h1-only")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "an h2 client falls back to HTTP/1.1");
            assertEquals("o GET /h1-only", r.body());
        }
        final ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.parse("services:\n"
                + "  - port: 8443\n" + tls(certA) + "      next_protos: [h3]\n" + backend, "c.yaml"));
        assertTrue(bad.getMessage().startsWith("c.yaml:7 services[0].tls.next_protos: \"h3\""), bad.getMessage());
    }

    /** The protocol ALPN settles on when the client offers {@code protocols}; the handshake only. */
    private static String alpn(int port, String sni, String... protocols) throws Exception {
        try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            final SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(sni)));
            params.setApplicationProtocols(protocols);
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket.getApplicationProtocol();
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aTls11OnlyClientIsRefused(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml(certA))) {
            final String openssl = which("openssl");
            assumeTrue(openssl != null, "openssl not installed: TLS 1.1 refusal not checked");
            final Process p = new ProcessBuilder(openssl, "s_client", "-connect", "127.0.0.1:" + proxy.port(),
                    "-tls1_1", "-servername", "a.test").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertNotEquals(0, p.exitValue(), out);
            assertTrue(out.contains("no peer certificate available") && !out.contains("BEGIN CERTIFICATE"), out);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void curlWithResolveGetsTheSniCertificate(TransportKind kind) throws Exception {
        final String curl = which("curl");
        assumeTrue(curl != null, "curl not installed");
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml(certA))) {
            final Process p = new ProcessBuilder(curl, "-sS", "--max-time", "10", "--cacert", ca.caPem().toString(),
                    "--resolve", "x.b.test:" + proxy.port() + ":127.0.0.1",
                    "https://x.b.test:" + proxy.port() + "/curl").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("o GET /curl", out);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = "NIO")
    void aCertificateReplacedOnDiskIsServedToNewHandshakes(TransportKind kind) throws Exception {
        final TestCertificates.Issued own = ca.issue("reload", "a.test");
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml(own))) {
            final Exchange before = exchange(proxy.port(), "a.test",
                    "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
            final TestCertificates.Issued renewed = ca.issue("reload", "a.test", "renewed.a.test");
            assertEquals(own.certFile(), renewed.certFile());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Exchange after;
            do {
                Thread.sleep(200);
                after = exchange(proxy.port(), "a.test", "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
            } while (after.serial.equals(before.serial) && System.nanoTime() < deadline);
            assertNotEquals(before.serial, after.serial, "the renewed certificate is served");
            assertTrue(after.response.startsWith("HTTP/1.1 200"));
        }
    }

    private record Exchange(String commonName, String serial, String protocol, String alpn, String response) {
    }

    private static Exchange exchange(int port, String sni, String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            final SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            params.setApplicationProtocols(new String[]{"http/1.1"}); // h2 is Http2Test's
            socket.setSSLParameters(params);
            socket.startHandshake();
            final X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
            } catch (javax.net.ssl.SSLException closed) {
                // the proxy closed after Connection: close; what was read is the response
            }
            return new Exchange(TestCertificates.commonName(leaf), leaf.getSerialNumber().toString(16),
                    socket.getSession().getProtocol(), socket.getApplicationProtocol(),
                    out.toString(StandardCharsets.ISO_8859_1).toLowerCase().replace("http/1.1 ", "HTTP/1.1 "));
        }
    }

    static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            final Path p = Path.of(dir, tool);
            if (p.toFile().canExecute()) {
                return p.toString();
            }
        }
        System.out.println("SKIPPED part: " + tool + " not on PATH");
        return null;
    }
}
