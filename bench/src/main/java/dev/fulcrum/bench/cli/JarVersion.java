package dev.fulcrum.bench.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version printed by {@code fulcrum --version}: the jar manifest's {@code Implementation-Version}, else the
 * version Maven recorded in {@code pom.properties}, else "unknown" (classes run from a build directory).
 *
 * <p>Stateless.
 */
public final class JarVersion implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.fulcrum/fulcrum-bench/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"fulcrum " + version(), "JVM " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version")};
    }

    /** The bench jar's version, or "unknown". */
    public static String version() {
        final String manifest = JarVersion.class.getPackage().getImplementationVersion();
        if (manifest != null) {
            return manifest;
        }
        try (InputStream in = JarVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                final Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a version string is not worth failing a command for
        }
        return "unknown";
    }
}
