package dev.fulcrum.transport.routing;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.RawHttp;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * terraster's rewrite table (research notes section 4.2), row by row, through the proxy to a real origin that
 * echoes the request target it received. The rows where terraster was wrong carry the corrected expectation.
 *
 * <p>Each row is its own virtual host on one listener, so one proxy per transport serves the whole table; requests
 * are written raw so that {@code //} and {@code %2F} reach the proxy exactly as written.
 */
@Timeout(60)
class RewriteParityTest {
    /** location, rewrite ("-" for none), backend URL path ("" for none), client target, backend target or 404. */
    private static final String[][] TABLE = {
            {"/api/", "/frontend/", "", "/api/users?x=1&y=2", "/frontend/users?x=1&y=2"},
            {"/api/", "/frontend/", "", "/api/", "/frontend/"},
            {"/api/", "/frontend/", "", "/api/v1/", "/frontend/v1/"},
            {"/api/", "/frontend/", "", "/api", "404"},
            {"/api/", "/frontend/", "", "/api//a", "/frontend/a"},
            {"/api/", "/frontend/", "", "/api/a%2Fb", "/frontend/a%2Fb"},          // terraster: /frontend/a/b
            {"/api/", "/frontend", "", "/api/users", "/frontend/users"},
            {"/api/", "frontend", "", "/api/users", "/frontend/users"},
            {"/api", "/frontend/", "", "/api", "/frontend/"},
            {"/api", "/frontend/", "", "/api/users", "/frontend/users"},
            {"/api", "/frontend/", "", "/apiv2/x", "/frontend/v2/x"},
            {"/api", "/frontend/", "", "/api//a", "/frontend//a"},
            {"/api/", "-", "", "/api/users?x=1", "/users?x=1"},
            {"/api/", "-", "", "/api/", "/"},
            {"/api", "-", "", "/api", "/"},
            {"/api", "-", "", "/apiv2/x", "/v2/x"},
            {"/", "/frontend/", "", "/", "/frontend/"},
            {"/", "/frontend/", "", "/a/b?c=d", "/frontend/a/b?c=d"},
            {"/", "-", "", "/a%2Fb?q", "/a%2Fb?q"},
            {"/api/", "/", "", "/api/users", "/users"},                           // terraster: //users
            {"/api/", "/frontend/", "/api", "/api/users", "/frontend/users"},     // terraster: /api/users
            {"/api/", "/frontend/", "/v1", "/api/users", "/frontend/users"},
    };

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
    void everyRowOfTerrastersRewriteTableWithItsBugsCorrected(TransportKind kind) throws Exception {
        final StringBuilder yaml = new StringBuilder("services:\n");
        for (int i = 0; i < TABLE.length; i++) {
            final String[] row = TABLE[i];
            yaml.append("  - host: row").append(i).append(".test\n    port: {port}\n    locations:\n")
                    .append("      - path: ").append(row[0]).append('\n');
            if (!row[1].equals("-")) {
                yaml.append("        rewrite: \"").append(row[1]).append("\"\n");
            }
            yaml.append("        backends:\n          - url: ").append(origin.url()).append(row[2]).append('\n');
        }
        final List<String> failures = new ArrayList<>();
        try (ProxyFixture proxy = ProxyFixture.start(kind, yaml.toString()); RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < TABLE.length; i++) {
                final String[] row = TABLE[i];
                raw.send("GET " + row[3] + " HTTP/1.1\r\nHost: row" + i + ".test\r\n\r\n");
                final RawHttp.Response response = raw.readResponse(false);
                final String got = response.status == 404 ? "404" : response.body.substring("o GET ".length());
                if (!row[4].equals(got)) {
                    failures.add("row " + i + " location " + row[0] + " rewrite " + row[1] + " backend path '"
                            + row[2] + "': " + row[3] + " -> expected " + row[4] + ", got " + got);
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
