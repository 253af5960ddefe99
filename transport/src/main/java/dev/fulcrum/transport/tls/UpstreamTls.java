package dev.fulcrum.transport.tls;

import dev.fulcrum.algorithms.snapshot.BackendAddress;
import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.config.BackendProtocol;
import dev.fulcrum.core.config.BackendTlsConfig;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS towards {@code https://} backends: one client {@link SslContext} per trust setting (system trust store, a CA
 * file, or no verification; with or without ALPN h2), and the {@link SslHandler} of each new upstream connection with
 * its SNI name and host name verification. Also answers which protocol a backend is configured for.
 *
 * <p>Thread-safe. The backend settings are an immutable map published with one volatile write; it is rebuilt from
 * the routing table it follows whenever that table has been replaced (a reload), by whichever thread opens the
 * next TLS connection. Contexts are built once per trust setting and shared. Called when a connection is opened,
 * never per request.
 */
public final class UpstreamTls {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTls.class);
    /** Name of the TLS handler, first in an upstream pipeline. */
    public static final String HANDLER = "upstream-tls";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslProvider provider;
    private final long handshakeTimeoutMillis;
    private final ConcurrentHashMap<Trust, SslContext> contexts = new ConcurrentHashMap<>();
    private final Set<String> warnedUnverified = ConcurrentHashMap.newKeySet();
    private volatile Supplier<RoutingTable> routing = () -> null;
    private volatile Settings settings = new Settings(null, Map.of());

    /**
     * What a client context trusts (nothing checked, a CA file, or the system store when both are null/false) and
     * what it offers by ALPN: nothing for {@code HTTP1}, h2 alone for {@code H2}, h2 then http/1.1 for {@code AUTO}.
     */
    private record Trust(boolean skipVerify, Path caFile, BackendProtocol alpn) {
    }

    /** The backends with non-default connection settings in one routing table. */
    private record Settings(RoutingTable builtFor, Map<BackendAddress, BackendConfig> byAddress) {
    }

    /**
     * @param handshakeTimeoutMillis a handshake not done by then fails the connection (the connect timeout)
     */
    public UpstreamTls(long handshakeTimeoutMillis) {
        this.provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** The engine used: OPENSSL (netty-tcnative BoringSSL) when it loads, else JDK. */
    public SslProvider provider() {
        return provider;
    }

    /**
     * Follows {@code source}: the TLS settings of backends are read from the table it returns, now (building the
     * contexts of the current table on the calling thread, so a bad CA file fails the start) and after each swap.
     *
     * @throws SSLException when a context of the current table cannot be built (unreadable CA file)
     */
    public void follow(Supplier<RoutingTable> source) throws SSLException {
        this.routing = source;
        final Settings current = settingsOf(source.get());
        for (BackendConfig backend : current.byAddress().values()) {
            if (backend.address().secure()) {
                context(backend.tls(), backend.protocol());
                context(backend.tls(), BackendProtocol.HTTP1);
            }
        }
    }

    /**
     * A client TLS handler for a new connection to {@code address}: SNI is the configured {@code sni} or the
     * backend host (none for an IP literal), verified against the certificate unless {@code skip_tls_verify}. ALPN
     * offers what the backend's {@code protocol} allows, or nothing with {@code http1Only} (an Upgrade request
     * needs an HTTP/1.1 connection whatever the backend prefers).
     */
    public SslHandler newHandler(ByteBufAllocator alloc, BackendAddress address, boolean http1Only)
            throws SSLException {
        final BackendConfig backend = settingsOf(routing.get()).byAddress().get(address);
        final BackendTlsConfig tls = backend == null ? BackendTlsConfig.DEFAULT : backend.tls();
        return newHandler(alloc, address, tls, http1Only ? BackendProtocol.HTTP1 : protocolOf(address));
    }

    /**
     * The protocol configured for {@code address}; a backend missing from the routing table (added through the
     * admin API since) gets the default for its scheme.
     */
    public BackendProtocol protocolOf(BackendAddress address) {
        final BackendConfig backend = settingsOf(routing.get()).byAddress().get(address);
        return backend == null ? BackendProtocol.defaultFor(address) : backend.protocol();
    }

    /** A client TLS handler for {@code address} with explicit settings (health probes pass theirs), HTTP/1.1 only. */
    public SslHandler newHandler(ByteBufAllocator alloc, BackendAddress address, BackendTlsConfig tls)
            throws SSLException {
        return newHandler(alloc, address, tls, BackendProtocol.HTTP1);
    }

    /**
     * A client TLS handler for {@code address} with explicit settings, offering by ALPN what {@code alpn} allows
     * (health probes of h2 backends pass {@code H2}).
     */
    public SslHandler newHandler(ByteBufAllocator alloc, BackendAddress address, BackendTlsConfig tls,
                                 BackendProtocol alpn) throws SSLException {
        final String serverName = tls.serverName(address.host());
        final SslHandler handler = context(tls, alpn).newHandler(alloc, serverName, address.port());
        if (!NetUtil.isValidIpV4Address(serverName) && !NetUtil.isValidIpV6Address(serverName)) {
            // The JDK engine sends SNI only for names with a dot; say it explicitly so "localhost"-style names and
            // configured sni values always go out.
            final SSLEngine engine = handler.engine();
            final SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    private SslContext context(BackendTlsConfig tls, BackendProtocol alpn) throws SSLException {
        final Trust trust = new Trust(tls.skipVerify(), tls.skipVerify() ? null : tls.caFile(),
                alpn == BackendProtocol.H2C ? BackendProtocol.HTTP1 : alpn);
        final SslContext existing = contexts.get(trust);
        if (existing != null) {
            return existing;
        }
        final SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(PROTOCOLS);
        if (trust.alpn() == BackendProtocol.H2) {
            // Only h2 is offered: the backend was configured as HTTP/2, and a server that picks nothing fails the
            // connection (checked after the handshake) rather than silently speaking HTTP/1.1 to an h2 pipeline.
            builder.applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2));
        } else if (trust.alpn() == BackendProtocol.AUTO) {
            // The backend chooses; one that picks nothing (no ALPN support) is spoken to in HTTP/1.1.
            builder.applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        }
        if (trust.skipVerify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (trust.caFile() != null) {
                builder.trustManager(trust.caFile().toFile());
            }
            // RFC 2818 / RFC 6125 host name check against the SNI name (Netty 4.2's default too; said explicitly).
            builder.endpointIdentificationAlgorithm("HTTPS");
        }
        final SslContext built = builder.build();
        final SslContext raced = contexts.putIfAbsent(trust, built);
        return raced != null ? raced : built;
    }

    private static ApplicationProtocolConfig alpn(String... offered) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, offered);
    }

    private Settings settingsOf(RoutingTable table) {
        final Settings current = settings;
        if (current.builtFor() == table || table == null) {
            return current;
        }
        final Map<BackendAddress, BackendConfig> byAddress = new HashMap<>();
        for (Location location : table.locations()) {
            for (BackendConfig backend : location.config().backends()) {
                if (backend.tls() == BackendTlsConfig.DEFAULT
                        && backend.protocol() == BackendProtocol.defaultFor(backend.address())) {
                    continue;
                }
                final BackendConfig previous = byAddress.putIfAbsent(backend.address(), backend);
                if (previous != null && (!previous.tls().equals(backend.tls())
                        || previous.protocol() != backend.protocol())) {
                    LOG.warn("backend {} is listed with different TLS or protocol settings in several locations;"
                            + " using the first ({}, {})", backend.url(), previous.tls(), previous.protocol());
                }
                if (backend.tls().skipVerify() && warnedUnverified.add(backend.url())) {
                    LOG.warn("backend {}: TLS certificate verification is off (skip_tls_verify)", backend.url());
                }
            }
        }
        final Settings next = new Settings(table, Map.copyOf(byAddress));
        settings = next;
        return next;
    }
}
