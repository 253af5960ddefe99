package dev.fulcrum.bench.demo;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.transport.server.ProxyServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one demo: three origins (fast, medium, slow), the proxy in front of them on 127.0.0.1, and the closed-loop
 * client, then stops everything and returns what was measured.
 *
 * <p>Called on one control thread; starts and stops its own event loop groups.
 */
public final class Demo {
    /** The proxy only ever listens on loopback in the demo: it is not meant to be reachable from elsewhere. */
    public static final String BIND_HOST = "127.0.0.1";
    /** One loop is plenty for three origins that mostly wait on timers. */
    private static final int ORIGIN_THREADS = 1;
    /** One client loop: on a 2-core box the client should not take the proxy's cores. */
    private static final int CLIENT_THREADS = 1;
    /** How long the client waits for in-flight requests at the end; above the slow origin's capped delay. */
    private static final long CLIENT_GRACE_MILLIS = 1_000;
    private static final long PROXY_DRAIN_MILLIS = 1_000;
    /** The free-port probe can race with another process; a couple of retries make that invisible. */
    private static final int BIND_ATTEMPTS = 3;

    private Demo() {
    }

    /** The three origins of every demo run, in the order they are configured. */
    static List<DemoOrigin> origins() {
        return List.of(
                new DemoOrigin("fast", LatencyProfile.constantMillis(1)),
                new DemoOrigin("medium", LatencyProfile.uniformMillis(2, 6)),
                new DemoOrigin("slow", LatencyProfile.lognormalMillis(10, 0.5)));
    }

    /**
     * @param progress gets one line per phase (start-up, warmup, measuring); may be null
     * @throws IllegalArgumentException for a bad algorithm or transport name
     * @throws dev.fulcrum.transport.io.TransportUnavailableException when a forced transport cannot run here
     */
    public static DemoResult run(DemoOptions options, PrintWriter progress) throws InterruptedException {
        final EventLoopGroup originGroup = new MultiThreadIoEventLoopGroup(ORIGIN_THREADS, NioIoHandler.newFactory());
        ProxyServer proxy = null;
        DemoLoad load = null;
        try {
            final List<DemoOrigin> origins = origins();
            final List<String> urls = new ArrayList<>(origins.size());
            for (DemoOrigin origin : origins) {
                origin.start(originGroup);
                urls.add(origin.url());
            }
            proxy = startProxy(options, urls);
            final InetSocketAddress proxyAddress = proxy.addresses().get(0);
            say(progress, proxy.readyLine() + "; origins " + urls);

            load = new DemoLoad(new MultiThreadIoEventLoopGroup(CLIENT_THREADS, NioIoHandler.newFactory()), proxyAddress);
            load.start(options.connections());
            if (options.warmupNanos() > 0) {
                say(progress, "warmup " + options.warmupNanos() / 1e9 + " s");
                TimeUnit.NANOSECONDS.sleep(options.warmupNanos());
            }
            final long[] servedBefore = served(origins);
            say(progress, "measuring " + options.durationNanos() / 1e9 + " s");
            final long start = System.nanoTime();
            load.startRecording();
            TimeUnit.NANOSECONDS.sleep(options.durationNanos());
            final Histogram latency = load.stopRecording();
            final long measured = System.nanoTime() - start;
            final long[] servedAfter = served(origins);

            final List<BackendShare> shares = new ArrayList<>(origins.size());
            for (int i = 0; i < origins.size(); i++) {
                final DemoOrigin origin = origins.get(i);
                shares.add(new BackendShare(origin.name(), origin.profile().description(), origin.url(),
                        servedAfter[i] - servedBefore[i]));
            }
            return new DemoResult(proxy.transport().configName(), proxy.ioThreads(),
                    proxyAddress.getHostString() + ':' + proxyAddress.getPort(), options.algorithm(),
                    options.connections(), options.warmupNanos(), measured, latency.getTotalCount(), load.non2xx(),
                    load.connectionErrors(), latency, shares);
        } finally {
            if (load != null) {
                load.stop(CLIENT_GRACE_MILLIS);
            }
            if (proxy != null) {
                proxy.drainAndStop(PROXY_DRAIN_MILLIS);
            }
            originGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static ProxyServer startProxy(DemoOptions options, List<String> urls) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            final FulcrumConfig cli = FulcrumConfig.forBackends(freePort(), urls, options.algorithm(),
                    options.proxyIoThreads(), options.transport());
            // forBackends binds every interface, as `fulcrum run` does; the demo stays on loopback.
            final FulcrumConfig config = new FulcrumConfig(cli.transport(), cli.ioThreads(), cli.services(),
                    cli.timeouts(), cli.limits(), cli.retries(), cli.proxyHeaders(), cli.connectionPool(),
                    cli.warnings(), BIND_HOST);
            try {
                return ProxyServer.start(config);
            } catch (Exception e) {
                // Netty rethrows a BindException undeclared; precise rethrow keeps the signature honest.
                if (attempt == BIND_ATTEMPTS || !isBindFailure(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** A port free on loopback right now (a proxy config needs a concrete port, not 0); scenarios use it too. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BIND_HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + BIND_HOST + ": " + e.getMessage(), e);
        }
    }

    private static long[] served(List<DemoOrigin> origins) {
        final long[] counts = new long[origins.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = origins.get(i).served();
        }
        return counts;
    }

    private static void say(PrintWriter progress, String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
