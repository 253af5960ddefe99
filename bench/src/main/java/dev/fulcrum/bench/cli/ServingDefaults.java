package dev.fulcrum.bench.cli;

/**
 * JVM-wide defaults the {@code fulcrum} process sets before any Netty class loads.
 *
 * <p>Netty's default leak detection samples about one buffer in 128 and records a stack trace for it; a proxy
 * allocates several buffers per request, so at saturation the sampled stack traces show up in a CPU profile
 * ({@code Throwable.fillInStackTrace}). Fulcrum's own test suite runs every test with paranoid leak detection, so
 * the serving process turns it off unless the operator asked for a level
 * ({@code FULCRUM_JAVA_OPTS=-Dio.netty.leakDetection.level=simple}).
 */
final class ServingDefaults {
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private ServingDefaults() {
    }

    /** Sets each default that the command line left unset. */
    static void apply() {
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
    }
}
