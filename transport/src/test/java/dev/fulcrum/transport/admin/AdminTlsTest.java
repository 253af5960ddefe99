package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ControlConfigLoader;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The admin listener over TLS, with a certificate made by openssl for 127.0.0.1. */
@Timeout(60)
class AdminTlsTest {
    @TempDir
    Path dir;

    private boolean makeCertificate() throws Exception {
        final Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            System.out.println("SKIPPED admin TLS: openssl not available: " + e.getMessage());
            return false;
        }
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void servesTheApiOverTlsAndRefusesPlainHttp() throws Exception {
        assumeTrue(makeCertificate(), "openssl could not make a test certificate");
        try (TestOrigin origin = new TestOrigin("o");
             AdminFixture f = AdminFixture.start(TransportKind.NIO, dir, AdminFixture.adminYaml(
                     "  tls:\n    cert_file: " + dir.resolve("cert.pem") + "\n    key_file: " + dir.resolve("key.pem")
                             + "\n") + "port: {port}\nbackends:\n  - url: " + origin.url() + "\n")) {
            assertTrue(f.runtime.admin().tls());
            final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
                trust.setCertificateEntry("admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            final SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            final HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5))
                    .build();
            final int port = f.runtime.admin().address().getPort();
            final HttpResponse<String> services = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/api/services"))
                    .header("Authorization", "Bearer " + AdminFixture.API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, services.statusCode());
            assertThrows(IOException.class, () -> f.call("GET", "/healthz", null, null), "plain HTTP to TLS port");
        }
    }

    @Test
    void aMissingCertificateIsAConfigErrorNotAFallbackToPlainHttp() {
        final String yaml = "api:\n  tls:\n    cert_file: " + dir.resolve("none.pem") + "\n    key_file: "
                + dir.resolve("none.key") + "\nauth:\n  api_keys:\n    - {key: " + AdminFixture.API_KEY + "}\n";
        final ConfigException e = assertThrows(ConfigException.class,
                () -> ControlConfigLoader.parse(yaml, "c.yaml", null, null, Map.of()));
        assertTrue(e.getMessage().startsWith("c.yaml:3 api.tls.cert_file:"), e.getMessage());
    }
}
