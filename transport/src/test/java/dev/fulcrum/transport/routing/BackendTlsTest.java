package dev.fulcrum.transport.routing;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestCertificates;
import dev.fulcrum.transport.testing.TestOrigin;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS towards backends, against a real TLS origin whose certificate comes from a CA made in the test: verification
 * with a CA file, refusal of an unknown CA and of a wrong host name (502 with a short reason), {@code
 * skip_tls_verify}, the SNI name the origin sees, pooled TLS connections reused, and health probes over TLS.
 */
@Timeout(90)
class BackendTlsTest {
    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static TestCertificates.Issued originCert;
    private TestOrigin origin;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.create();
        otherCa = TestCertificates.create();
        originCert = ca.issue("origin", "origin.test");
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        ca.delete();
        otherCa.delete();
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("tls", SslContextBuilder.forServer(originCert.certFile().toFile(),
                originCert.keyFile().toFile()).build());
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private String yaml(String backendKeys) {
        return "port: {port}\nbackends:\n  - url: " + origin.url() + "\n" + backendKeys;
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void verifiesWithTheCaFileSendsTheConfiguredSniAndReusesTheConnection(TransportKind kind) throws Exception {
        final String keys = "    sni: origin.test\n    ca_file: " + ca.caPem() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml(keys))) {
            for (int i = 0; i < 3; i++) {
                final HttpResponse<String> r = proxy.get("/hello/" + i);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("tls GET /hello/" + i, r.body());
            }
            assertEquals(List.of("origin.test"), origin.sniNames(), "one handshake, SNI = the configured sni");
            assertEquals(1, origin.connections(), "the pooled TLS connection is reused");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void unknownCaIsRefusedWith502(TransportKind kind) throws Exception {
        // The system trust store does not know the test CA.
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml("    sni: origin.test\n"))) {
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("\"upstream TLS handshake failed\""), r.body());
            assertTrue(origin.seen().isEmpty(), "no request reached the origin");
        }
    }

    @Test
    void aCaFileOfAnotherCaIsRefused() throws Exception {
        final String keys = "    sni: origin.test\n    ca_file: " + otherCa.caPem() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, yaml(keys))) {
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("upstream TLS handshake failed"), r.body());
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        // Trusted CA, but the certificate names origin.test and the proxy expects other.test.
        final String keys = "    sni: other.test\n    ca_file: " + ca.caPem() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO, yaml(keys))) {
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("upstream TLS handshake failed"), r.body());
            assertEquals(List.of("other.test"), origin.sniNames().subList(0, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void skipTlsVerifyAcceptsAnyCertificate(TransportKind kind) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml("    skip_tls_verify: true\n"))) {
            final HttpResponse<String> r = proxy.get("/insecure");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("tls GET /insecure", r.body());
            assertEquals(List.of(""), origin.sniNames(), "an IP-literal backend without sni sends no SNI");
        }
    }

    @Test
    void healthProbesSpeakTlsAndVerify() throws Exception {
        final String health = "health_check: {type: http, path: /health, interval: 100ms, timeout: 1s,"
                + " jitter_percent: 0, thresholds: {healthy: 1, unhealthy: 1}}\n";
        try (ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO,
                health + yaml("    sni: origin.test\n    ca_file: " + ca.caPem() + "\n"))) {
            proxy.awaitStatus(200);
            assertTrue(origin.seen().stream().anyMatch(s -> s.uri().equals("/health")), "probe reached the origin");
        }
        try (ProxyFixture proxy = ProxyFixture.start(TransportKind.NIO,
                health + yaml("    sni: origin.test\n    ca_file: " + otherCa.caPem() + "\n"))) {
            Thread.sleep(500); // several probe rounds
            final HttpResponse<String> r = proxy.get("/x");
            assertEquals(503, r.statusCode(), "a backend whose certificate fails verification is not healthy: "
                    + r.body());
        }
    }
}
