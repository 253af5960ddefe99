package dev.fulcrum.transport.tls;

import dev.fulcrum.core.config.FulcrumConfig;
import dev.fulcrum.core.config.ServiceConfig;
import dev.fulcrum.core.config.TlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TLS side of every listener port that has TLS services: one {@link SslContext} per service certificate,
 * chosen by the client's SNI name.
 *
 * <p>Thread-safe. Selection: an exact service host, else the most specific {@code *.} wildcard service, else the
 * port's default certificate (the default service's, else the first TLS service of the port in the config), which
 * is also what a client without SNI gets (terraster failed such handshakes). TLS 1.2 is the minimum; ALPN offers
 * the protocols the listener serves. Certificate and key files are checked every {@link #RELOAD_CHECK_MILLIS} ms;
 * a changed pair is loaded and used for new handshakes, and a pair that fails to load keeps the previous one (and
 * is logged).
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** Pipeline name of the SNI handler (replaced by the SslHandler once the ClientHello is read). */
    public static final String HANDLER = "tls";
    /** Often enough that a renewed certificate is served within seconds; a stat of two files per service is cheap. */
    public static final long RELOAD_CHECK_MILLIS = 2_000;
    /** TLS 1.2 and 1.3 only: TLS 1.0/1.1 are deprecated by RFC 8996. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Map<Integer, PortCertificates> byPort;
    private final List<String> alpn;
    private final SslProvider provider;
    private final ScheduledFuture<?> reloadTask;

    private ServerTls(Map<Integer, PortCertificates> byPort, List<String> alpn, SslProvider provider) {
        this.byPort = byPort;
        this.alpn = alpn;
        this.provider = provider;
        this.reloadTask = byPort.isEmpty() ? null : GlobalEventExecutor.INSTANCE.scheduleWithFixedDelay(
                this::reloadChanged, RELOAD_CHECK_MILLIS, RELOAD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads every TLS service's certificate.
     *
     * @param alpn application protocols to offer, most preferred first (e.g. h2, http/1.1)
     * @throws IllegalStateException naming the service whose certificate or key cannot be loaded
     */
    public static ServerTls build(FulcrumConfig config, List<String> alpn) {
        final SslProvider provider = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
                ? SslProvider.OPENSSL : SslProvider.JDK;
        final Map<Integer, List<ServiceConfig>> tlsServices = new LinkedHashMap<>();
        for (ServiceConfig service : config.services()) {
            if (service.options().tls() != null) {
                tlsServices.computeIfAbsent(service.port(), p -> new ArrayList<>()).add(service);
            }
        }
        final Map<Integer, PortCertificates> byPort = new HashMap<>();
        for (Map.Entry<Integer, List<ServiceConfig>> e : tlsServices.entrySet()) {
            byPort.put(e.getKey(), new PortCertificates(e.getValue(), provider, alpn));
        }
        if (!byPort.isEmpty()) {
            LOG.info("TLS engine {} ({}), listeners {}", provider,
                    provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "OpenSSL unavailable: "
                            + OpenSsl.unavailabilityCause(), byPort.keySet());
        }
        return new ServerTls(byPort, List.copyOf(alpn), provider);
    }

    /**
     * Which services terminate TLS on which port with which files: listeners get their TLS handlers when they are
     * built, so a reload that changes this needs a restart (certificate contents are reloaded on their own).
     */
    public static String layout(FulcrumConfig config) {
        final StringBuilder sb = new StringBuilder();
        for (ServiceConfig service : config.services()) {
            final TlsConfig tls = service.options().tls();
            if (tls != null) {
                sb.append(service.port()).append(' ').append(service.host()).append(' ').append(tls.certFile())
                        .append(' ').append(tls.keyFile()).append(' ').append(tls.alpn()).append('\n');
            }
        }
        return sb.toString();
    }

    public boolean isTls(int port) {
        return byPort.containsKey(port);
    }

    public SslProvider provider() {
        return provider;
    }

    /** A new SNI handler for a connection accepted on {@code port}, or null for a plain port. */
    public SniHandler newHandler(int port) {
        final PortCertificates certificates = byPort.get(port);
        return certificates == null ? null : new SniHandler(certificates);
    }

    /** Checks every certificate pair now; the periodic task calls this. */
    public void reloadChanged() {
        for (PortCertificates certificates : byPort.values()) {
            certificates.reloadChanged(provider, alpn);
        }
    }

    @Override
    public void close() {
        if (reloadTask != null) {
            reloadTask.cancel(false);
        }
    }

    /** A service's context offering the protocols both the listener serves and the service allows. */
    static SslContext load(TlsConfig tls, SslProvider provider, List<String> alpn) throws SSLException {
        final List<String> offered = new ArrayList<>(tls.alpn());
        offered.retainAll(alpn);
        return SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        offered.isEmpty() ? alpn : offered))
                .build();
    }

    /** The certificates of one port and the SNI lookup over them. */
    private static final class PortCertificates implements Mapping<String, SslContext> {
        private final List<ServiceConfig> services;
        private final long[] stamps;
        private volatile Table table;

        PortCertificates(List<ServiceConfig> services, SslProvider provider, List<String> alpn) {
            this.services = services;
            this.stamps = new long[services.size()];
            final SslContext[] contexts = new SslContext[services.size()];
            for (int i = 0; i < contexts.length; i++) {
                final ServiceConfig service = services.get(i);
                try {
                    stamps[i] = stamp(service.options().tls());
                    contexts[i] = load(service.options().tls(), provider, alpn);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("service " + service.name() + ": cannot load TLS certificate "
                            + service.options().tls().certFile() + " with key " + service.options().tls().keyFile()
                            + ": " + e.getMessage(), e);
                }
            }
            this.table = new Table(services, contexts);
        }

        @Override
        public SslContext map(String sniName) {
            return table.select(sniName);
        }

        void reloadChanged(SslProvider provider, List<String> alpn) {
            SslContext[] contexts = null;
            for (int i = 0; i < stamps.length; i++) {
                final ServiceConfig service = services.get(i);
                final TlsConfig tls = service.options().tls();
                try {
                    final long stamp = stamp(tls);
                    if (stamp == stamps[i]) {
                        continue;
                    }
                    final SslContext fresh = load(tls, provider, alpn);
                    if (contexts == null) {
                        contexts = table.contexts.clone();
                    }
                    contexts[i] = fresh;
                    stamps[i] = stamp;
                    LOG.info("service {}: reloaded TLS certificate {}", service.name(), tls.certFile());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("service {}: TLS certificate {} changed but cannot be loaded, keeping the previous one: {}",
                            service.name(), tls.certFile(), e.toString());
                }
            }
            if (contexts != null) {
                table = new Table(services, contexts);
            }
        }

        private static long stamp(TlsConfig tls) throws IOException {
            return Files.getLastModifiedTime(tls.certFile()).toMillis() * 31
                    + Files.getLastModifiedTime(tls.keyFile()).toMillis()
                    + Files.size(tls.certFile()) * 1_000_003L + Files.size(tls.keyFile());
        }
    }

    /** One immutable generation of a port's certificates. */
    private static final class Table {
        final SslContext[] contexts;
        private final Map<String, SslContext> exact = new HashMap<>();
        /** Keyed by the suffix with its leading dot, as in VirtualHosts. */
        private final Map<String, SslContext> wildcards = new HashMap<>();
        private final SslContext fallback;

        Table(List<ServiceConfig> services, SslContext[] contexts) {
            this.contexts = contexts;
            SslContext defaultContext = null;
            for (int i = 0; i < contexts.length; i++) {
                final String host = services.get(i).host();
                if (host == null) {
                    defaultContext = contexts[i];
                } else if (host.startsWith("*.")) {
                    wildcards.put(host.substring(1), contexts[i]);
                } else {
                    exact.put(host, contexts[i]);
                }
            }
            this.fallback = defaultContext != null ? defaultContext : contexts[0];
        }

        SslContext select(String sniName) {
            if (sniName == null || sniName.isEmpty()) {
                return fallback;
            }
            final String name = sniName.toLowerCase(Locale.ROOT);
            final SslContext hit = exact.get(name);
            if (hit != null) {
                return hit;
            }
            if (!wildcards.isEmpty()) {
                for (int i = name.indexOf('.', 1); i > 0; i = name.indexOf('.', i + 1)) {
                    final SslContext wildcard = wildcards.get(name.substring(i));
                    if (wildcard != null) {
                        return wildcard;
                    }
                }
            }
            return fallback;
        }
    }
}
