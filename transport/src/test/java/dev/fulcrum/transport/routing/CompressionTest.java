package dev.fulcrum.transport.routing;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.proxy.ResponseCompressorAccess;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response compression round trips over raw sockets: chosen by Accept-Encoding q-values, only compressible types
 * above the size floor, never twice, Content-Length dropped, Vary: Accept-Encoding.
 */
@Timeout(60)
class CompressionTest {
    private TestOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin("o");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void compressesTextForClientsThatAcceptItAndNothingElse(TransportKind kind) throws Exception {
        final String yaml = "services:\n"
                + "  - host: c.test\n    port: {port}\n    middleware:\n      - compression: true\n"
                + "    locations:\n      - backends:\n          - url: " + origin.url() + "\n"
                + "  - port: {port}\n    locations:\n      - backends:\n          - url: " + origin.url() + "\n";
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml); RawHttp raw = new RawHttp(proxy.port())) {
            final byte[] plain = bytes(get(raw, "/text/50000", "c.test", null).body);
            assertEquals(50000, plain.length);

            RawHttp.Response r = get(raw, "/text/50000", "c.test", "br;q=0.9, gzip;q=1.0, deflate;q=0.5");
            assertEquals("gzip", r.header("content-encoding"));
            assertNull(r.header("content-length"), "no stale Content-Length");
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals("Accept-Encoding", r.header("vary"));
            assertTrue(r.body.length() < plain.length / 5, "compressed: " + r.body.length());
            assertArrayEquals(plain, gunzip(bytes(r.body)));

            r = get(raw, "/text/50000", "c.test", "gzip;q=0, deflate");
            assertEquals("deflate", r.header("content-encoding"), "q=0 refuses gzip");
            assertArrayEquals(plain, inflate(bytes(r.body)));

            r = get(raw, "/text/50000", "c.test", null);
            assertNull(r.header("content-encoding"), "identity without Accept-Encoding");
            assertEquals("Accept-Encoding", r.header("vary"));
            assertEquals("50000", r.header("content-length"));

            r = get(raw, "/text/50000?gzip=1", "c.test", "gzip");
            assertEquals(1, count(r.head, "content-encoding"), "never twice");
            assertArrayEquals(plain, gunzip(bytes(r.body)), "the backend's own gzip, untouched");

            r = get(raw, "/text/200", "c.test", "gzip");
            assertNull(r.header("content-encoding"), "below min_bytes");
            assertEquals("200", r.header("content-length"));

            r = get(raw, "/size/50000", "c.test", "gzip");
            assertNull(r.header("content-encoding"), "octet-stream is not compressed");
            assertNull(r.header("vary"));

            raw.send("HEAD /text/50000 HTTP/1.1\r\nHost: c.test\r\nAccept-Encoding: gzip\r\n\r\n");
            r = raw.readResponse(true);
            assertEquals(200, r.status);

            r = get(raw, "/text/50000", "other.test", "gzip");
            assertNull(r.header("content-encoding"), "service without compression");
            assertEquals(50000, r.body.length());

            if (nativesShipped()) {
                assertTrue(ResponseCompressorAccess.zstdAvailable(), "zstd-jni ships a native for this platform");
                assertTrue(ResponseCompressorAccess.brotliAvailable(), "brotli4j ships a native for this platform");
            }
            if (ResponseCompressorAccess.zstdAvailable()) {
                r = get(raw, "/text/50000", "c.test", "gzip;q=0.5, zstd");
                assertEquals("zstd", r.header("content-encoding"), "zstd preferred by q-value");
                assertArrayEquals(plain, unzstd(bytes(r.body)));
            } else {
                System.out.println("SKIPPED part: zstd-jni has no native library for " + platform());
            }
            if (ResponseCompressorAccess.brotliAvailable()) {
                r = get(raw, "/text/50000", "c.test", "gzip;q=0.8, br;q=0.9, zstd;q=0.1");
                assertEquals("br", r.header("content-encoding"), "br preferred by q-value");
                assertNull(r.header("content-length"));
                assertTrue(r.body.length() < plain.length / 5, "compressed: " + r.body.length());
                assertArrayEquals(plain, unbrotli(bytes(r.body)));

                r = get(raw, "/text/50000", "c.test", "br;q=0");
                assertNull(r.header("content-encoding"), "br;q=0 refuses brotli and nothing else is accepted");
            } else {
                System.out.println("SKIPPED part: brotli4j has no native library for " + platform());
            }
        }
    }

    private static boolean nativesShipped() {
        final String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").startsWith("Linux")
                && ("amd64".equals(arch) || "x86_64".equals(arch) || "aarch64".equals(arch));
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    private static byte[] unzstd(byte[] bytes) throws Exception {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] unbrotli(byte[] bytes) throws Exception {
        try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static RawHttp.Response get(RawHttp raw, String path, String host, String acceptEncoding)
            throws Exception {
        raw.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n");
        return raw.readResponse(false);
    }

    private static byte[] bytes(String iso) {
        return iso.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int count(String head, String name) {
        int n = 0;
        for (String line : head.split("\n")) {
            if (line.toLowerCase().startsWith(name + ":")) {
                n++;
            }
        }
        return n;
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] inflate(byte[] bytes) throws Exception {
        try (InputStream in = new java.util.zip.InflaterInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
