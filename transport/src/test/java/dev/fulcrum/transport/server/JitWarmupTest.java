package dev.fulcrum.transport.server;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitWarmupTest {
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void relaysLoopbackTrafficWithoutErrorsAndStopsEverythingItStarted(TransportKind kind) throws Exception {
        ProxyFixture.assumeAvailable(kind);
        final FulcrumConfig config = FulcrumConfig.forBackends(8080, List.of("http://127.0.0.1:1"), null, 1,
                kind.configName());
        final Set<Thread> before = liveThreads();

        final JitWarmup.Result result = JitWarmup.run(config, 1_200);

        assertTrue(result.requests() > 100, "requests relayed: " + result.requests());
        assertEquals(0, result.errors(), "errors");
        assertTrue(result.elapsedMillis() >= 1_000 && result.elapsedMillis() < 5_000,
                "elapsed " + result.elapsedMillis());
        // The warm-up proxy's, origins' and client's event loops have all ended.
        final Set<Thread> started = liveThreads();
        started.removeAll(before);
        started.removeIf(t -> !t.getName().toLowerCase(java.util.Locale.ROOT).contains("eventloop"));
        assertTrue(started.isEmpty(), "event loops left running: " + started);
    }

    @Test
    void zeroMeansNoWarmup() throws Exception {
        final FulcrumConfig config = FulcrumConfig.forBackends(8080, List.of("http://127.0.0.1:1"), null, 1, "nio");
        final JitWarmup.Result result = JitWarmup.run(config, 0);
        assertEquals(0, result.requests());
        assertEquals(0, result.elapsedMillis());
    }

    private static Set<Thread> liveThreads() {
        final Set<Thread> live = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                live.add(t);
            }
        }
        return live;
    }
}
