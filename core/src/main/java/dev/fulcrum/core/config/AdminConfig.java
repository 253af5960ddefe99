package dev.fulcrum.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The admin listener: where it binds, who may reach it, and how callers authenticate.
 *
 * <p>Immutable.
 *
 * @param enabled        false: no admin listener at all
 * @param bind           address the admin listener binds to
 * @param port           admin port; 0 picks a free one (tests)
 * @param allowedCidrs   client networks allowed, as CIDRs ({@code 10.0.0.0/8}, {@code ::1/128}); empty allows all
 * @param trustedProxies peers whose X-Forwarded-For is believed, as CIDRs; empty: the socket address decides
 * @param tlsCertFile    PEM certificate chain, or null for plain HTTP
 * @param tlsKeyFile     PEM PKCS#8 private key, or null
 * @param auth           users, API keys and token settings
 * @param watch          re-read the config files when they change (SIGHUP and POST /api/reload work regardless)
 */
public record AdminConfig(boolean enabled, String bind, int port, List<String> allowedCidrs,
                          List<String> trustedProxies, String tlsCertFile, String tlsKeyFile, AuthConfig auth,
                          boolean watch) {

    /** Loopback: the admin API changes routing, so it is not exposed unless an operator says so. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** A port next to the usual 8080 data port. */
    public static final int DEFAULT_PORT = 9090;

    public static final AdminConfig DISABLED = new AdminConfig(false, DEFAULT_BIND, DEFAULT_PORT, List.of(),
            List.of(), null, null, AuthConfig.NONE, false);

    public AdminConfig {
        Objects.requireNonNull(bind, "bind");
        allowedCidrs = List.copyOf(allowedCidrs);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(auth, "auth");
    }

    public boolean tls() {
        return tlsCertFile != null;
    }
}
