package dev.fulcrum.bench.jmh.core;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import dev.fulcrum.core.route.VirtualHosts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Route lookup as the proxy does it per request ({@link VirtualHosts#route}): Host header (exact, wildcard, default
 * service) then the longest location prefix among {@value #LOCATIONS} locations of the matched service. The request
 * set cycles through exact, wildcard and default hosts and through shallow, deep and unmatched paths, so branch
 * prediction cannot learn one answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteLookupBenchmark {
    static final int LOCATIONS = 100;
    private static final String[][] REQUESTS = {
            {"api.example.com", "/svc42/v1/users/7?expand=1"},
            {"api.example.com:8080", "/svc7/"},
            {"shop.example.com", "/cart/items"},
            {"API.EXAMPLE.COM", "/svc99/v2/orders/15"},
            {"unknown.test", "/health"},
            {"api.example.com", "/svc3/v1/deep/path/with/many/segments"},
            {"api.example.com", "/nothing-matches-here"},
            {"www.example.com", "/static/app.js"},
    };

    private VirtualHosts hosts;
    private int next;

    @Setup
    public void setUp() throws ConfigException {
        hosts = RoutingTable.build(ConfigLoader.parse(config(), "route-lookup-benchmark")).forPort(8080);
        for (String[] request : REQUESTS) {
            hosts.route(request[0], request[1]); // fail early if the table cannot route
        }
    }

    /** One service with {@value #LOCATIONS} locations (some nested), a wildcard service and a default service. */
    static String config() {
        final StringBuilder yaml = new StringBuilder("port: 8080\nservices:\n");
        yaml.append("  - name: api\n    host: api.example.com\n    port: 8080\n    locations:\n");
        for (int i = 0; i < LOCATIONS; i++) {
            final String path = i % 2 == 0 ? "/svc" + i + "/" : "/svc" + (i - 1) + "/v" + (i % 3 + 1) + "/";
            yaml.append("      - path: ").append(path).append('\n')
                    .append("        backends: [{url: 'http://10.0.0.").append(i % 250 + 1).append(":9000'}]\n");
        }
        yaml.append("  - name: wildcard\n    host: '*.example.com'\n    port: 8080\n    locations:\n")
                .append("      - path: /\n        backends: [{url: 'http://10.0.1.1:9000'}]\n")
                .append("      - path: /cart/\n        backends: [{url: 'http://10.0.1.2:9000'}]\n");
        yaml.append("  - name: fallback\n    port: 8080\n    locations:\n")
                .append("      - path: /\n        backends: [{url: 'http://10.0.2.1:9000'}]\n");
        return yaml.toString();
    }

    @Benchmark
    public Location route() {
        final String[] request = REQUESTS[next];
        next = (next + 1) & (REQUESTS.length - 1);
        return hosts.route(request[0], request[1]);
    }
}
