package dev.fulcrum.transport.accesslog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.ControlConfigLoader;
import dev.fulcrum.transport.admin.ConfigSource;
import dev.fulcrum.transport.admin.ControlRuntime;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.server.ProxyServer;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access log lines for real requests: format, per-service logger, request ids, sampling. */
@Timeout(60)
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private TestOrigin origin;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger accessRoot;
    private Level previousLevel;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin("o");
        accessRoot = (Logger) LoggerFactory.getLogger("access");
        previousLevel = accessRoot.getLevel();
        accessRoot.setLevel(Level.INFO);
        captured.start();
        accessRoot.addAppender(captured);
    }

    @AfterEach
    void stop() {
        accessRoot.detachAppender(captured);
        accessRoot.setLevel(previousLevel);
        origin.close();
    }

    private interface Body {
        void run(int port) throws Exception;
    }

    private void withProxy(String yaml, Body body) throws Exception {
        final int port = ProxyFixture.freePort();
        final Path file = dir.resolve("f.yaml");
        Files.writeString(file, "transport: nio\nio_threads: 2\nbind: 127.0.0.1\n"
                + yaml.replace("{port}", Integer.toString(port)));
        final ProxyServer server = ProxyServer.start(ConfigLoader.load(file));
        try (ControlRuntime runtime = ControlRuntime.start(server, ControlConfigLoader.load(file, null),
                new ConfigSource(file, null, c -> c))) {
            body.run(port);
        } finally {
            server.drainAndStop(1_000);
        }
    }

    private String services(String accessLog) {
        return accessLog + "services:\n  - name: shop\n    log_name: shop\n    port: {port}\n    locations:\n"
                + "      - path: /api/\n        rewrite: /\n        backends:\n          - url: " + origin.url() + "\n";
    }

    @Test
    void jsonLinesUnderTheServiceLoggerWithAGeneratedAndForwardedRequestId() throws Exception {
        withProxy(services("access_log:\n  format: json\n"), port -> {
            try (RawHttp raw = new RawHttp(port)) {
                raw.send("GET /api/items?q=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: t/1\r\n\r\n");
                assertEquals(200, raw.readResponse(false).status);
                raw.send("GET /api/mine HTTP/1.1\r\nHost: x\r\nX-Request-Id: client-id-7\r\n\r\n");
                assertEquals(200, raw.readResponse(false).status);
            }
            final List<ILoggingEvent> events = captured.list;
            assertEquals(2, events.size());
            assertEquals("access.shop", events.get(0).getLoggerName());
            final JsonNode line = JSON.readTree(events.get(0).getFormattedMessage());
            assertEquals("GET", line.get("method").asText());
            assertEquals("/api/items?q=1", line.get("uri").asText(), "the client's target, before the rewrite");
            assertEquals(200, line.get("status").asInt());
            assertEquals("shop", line.get("service").asText());
            assertEquals("/api/", line.get("location").asText());
            assertEquals(origin.url(), line.get("backend").asText());
            assertEquals("t/1", line.get("user_agent").asText());
            assertTrue(line.get("bytes").asLong() > 0);
            assertTrue(line.get("time").asText().endsWith("Z"));
            final String generated = line.get("request_id").asText();
            assertNotNull(origin.seen().get(0).header("x-request-id"));
            assertEquals(generated, origin.seen().get(0).header("x-request-id"), "forwarded upstream");
            final JsonNode second = JSON.readTree(events.get(1).getFormattedMessage());
            assertEquals("client-id-7", second.get("request_id").asText());
            assertEquals("client-id-7", origin.seen().get(1).header("x-request-id"));
        });
    }

    @Test
    void combinedFormatAndGeneratedResponses() throws Exception {
        withProxy(services("access_log:\n  format: combined\n"), port -> {
            try (RawHttp raw = new RawHttp(port)) {
                raw.send("GET /api/a HTTP/1.1\r\nHost: x\r\nReferer: http://r/\r\nUser-Agent: ua\r\n\r\n");
                assertEquals(200, raw.readResponse(false).status);
                raw.send("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(404, raw.readResponse(false).status);
            }
            assertEquals(2, captured.list.size());
            final String line = captured.list.get(0).getFormattedMessage();
            assertTrue(line.matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
                    + "\"GET /api/a HTTP/1\\.1\" 200 \\d+ \"http://r/\" \"ua\" rt=\\d+ms backend=http://\\S+ rid=\\S+"),
                    line);
            assertTrue(captured.list.get(1).getFormattedMessage().contains("\"GET /elsewhere HTTP/1.1\" 404 "),
                    captured.list.get(1).getFormattedMessage());
        });
    }

    @Test
    void samplingKeepsErrorsAndDropsTheRest() throws Exception {
        withProxy(services("access_log:\n  sample_rate: 0\n"), port -> {
            try (RawHttp raw = new RawHttp(port)) {
                for (int i = 0; i < 5; i++) {
                    raw.send("GET /api/ok HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals(200, raw.readResponse(false).status);
                }
                raw.send("GET /api/status/502 HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(502, raw.readResponse(false).status);
            }
            assertEquals(1, captured.list.size());
            assertTrue(captured.list.get(0).getFormattedMessage().contains("\"status\":502"));
        });
    }
}
