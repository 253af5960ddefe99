package dev.fulcrum.core.config;

import dev.fulcrum.algorithms.snapshot.BackendAddress;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a backend's connection keys: TLS ({@code skip_tls_verify}, {@code sni}, {@code ca_file}) into a
 * {@link BackendTlsConfig}, and {@code protocol}.
 *
 * <p>Stateless; for the loading thread.
 */
final class BackendTlsLoader {
    private BackendTlsLoader() {
    }

    static BackendTlsConfig read(Fields f, BackendAddress address) throws ConfigException {
        final boolean skipVerify = f.bool("skip_tls_verify", false);
        final String sni = sni(f);
        final Path caFile = caFile(f);
        if (!f.has("skip_tls_verify") && sni == null && caFile == null) {
            return BackendTlsConfig.DEFAULT;
        }
        if (!address.secure()) {
            final String key = f.has("sni") ? "sni" : f.has("ca_file") ? "ca_file" : "skip_tls_verify";
            f.warn(key, "ignored: the backend is plain http (TLS keys apply to https:// backends)");
            return BackendTlsConfig.DEFAULT;
        }
        if (skipVerify && caFile != null) {
            f.warn("ca_file", "ignored: skip_tls_verify turns certificate verification off");
        }
        return new BackendTlsConfig(skipVerify, sni, skipVerify ? null : caFile);
    }

    /**
     * {@code protocol}: http/1.1, auto (https only: the backend chooses h2 or http/1.1 by ALPN), h2 (https only) or
     * h2c (http only). Without it, terraster's {@code http2} decides: false means http/1.1, true or unset means the
     * default for the scheme (auto for https, http/1.1 for http: terraster never spoke h2c).
     */
    static BackendProtocol protocol(Fields f, BackendAddress address) throws ConfigException {
        final String configured = f.string("protocol", null);
        if (configured == null) {
            return f.bool("http2", true) ? BackendProtocol.defaultFor(address) : BackendProtocol.HTTP1;
        }
        if (f.has("http2")) {
            f.warn("http2", "ignored: protocol is set");
        }
        final String name = configured.trim().toLowerCase(Locale.ROOT);
        for (BackendProtocol protocol : BackendProtocol.values()) {
            if (protocol.configName().equals(name)) {
                if ((protocol == BackendProtocol.H2 || protocol == BackendProtocol.AUTO) && !address.secure()) {
                    throw f.error("protocol", protocol.configName()
                            + " needs an https:// backend (use h2c for cleartext HTTP/2)");
                }
                if (protocol == BackendProtocol.H2C && address.secure()) {
                    throw f.error("protocol", "h2c is cleartext HTTP/2: it needs an http:// backend (use h2 for TLS)");
                }
                return protocol;
            }
        }
        throw f.invalid(f.entry("protocol"), "one of http/1.1, auto, h2, h2c");
    }

    private static String sni(Fields f) throws ConfigException {
        final String configured = f.string("sni", null);
        if (configured == null) {
            return null;
        }
        final String name = configured.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            return null;
        }
        boolean ok = !name.startsWith(".") && !name.endsWith(".") && !name.contains("..");
        for (int i = 0; ok && i < name.length(); i++) {
            final char c = name.charAt(i);
            ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_';
        }
        if (!ok) {
            throw f.invalid(f.entry("sni"), "a host name such as \"api.internal.example\" (no port, no scheme)");
        }
        return name;
    }

    private static Path caFile(Fields f) throws ConfigException {
        final String name = f.string("ca_file", null);
        if (name == null) {
            return null;
        }
        final Path path;
        try {
            path = Path.of(name.trim());
        } catch (InvalidPathException e) {
            throw f.invalid(f.entry("ca_file"), "the path of a PEM file of CA certificates");
        }
        if (name.isBlank() || !Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw f.error("ca_file", "\"" + name + "\" is not a readable file (expected: PEM CA certificates)");
        }
        return path;
    }
}
