package dev.fulcrum.transport.admin;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.fulcrum.core.config.AuthConfig;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Who is calling: checks bearer credentials (a static API key, or an access JWT signed HS256 with the configured
 * secret), logs users in against their bcrypt hashes, and rotates refresh tokens.
 *
 * <p>Control thread only (it keeps the failed-login counters and the used refresh-token ids). Tokens carry the
 * user's name and role; every check also requires that the user still exists in the current config with that role,
 * so removing a user and reloading revokes their tokens at once.
 */
public final class AdminAuth {
    static final String ISSUER = "fulcrum";
    /** After this many failed logins in a row a user is locked out for {@link #LOCKOUT_MILLIS}. */
    static final int MAX_FAILED_LOGINS = 5;
    static final long LOCKOUT_MILLIS = 15 * 60_000L;
    private static final String TYPE_ACCESS = "access";
    private static final String TYPE_REFRESH = "refresh";
    /** bcrypt cost of hashes made by {@link #hashPassword}: about 50-100 ms on a current core. */
    public static final int BCRYPT_COST = 12;

    private final AuthConfig config;
    private final LongSupplier clockMillis;
    private final Algorithm algorithm;
    private final JWTVerifier accessVerifier;
    private final JWTVerifier refreshVerifier;
    private final Map<String, AuthConfig.User> users = new HashMap<>();
    private final Map<String, int[]> failedLogins = new HashMap<>();
    private final Map<String, Long> lockedUntil = new HashMap<>();
    /** Refresh token ids already exchanged, with their expiry; a token is good for one refresh only. */
    private final LinkedHashMap<String, Long> usedRefreshIds = new LinkedHashMap<>();

    AdminAuth(AuthConfig config, LongSupplier clockMillis) {
        this.config = config;
        this.clockMillis = clockMillis;
        for (AuthConfig.User user : config.users()) {
            users.put(user.username(), user);
        }
        if (config.jwtSecret() != null) {
            this.algorithm = Algorithm.HMAC256(config.jwtSecret().getBytes(StandardCharsets.UTF_8));
            this.accessVerifier = JWT.require(algorithm).withIssuer(ISSUER).withClaim("typ", TYPE_ACCESS).build();
            this.refreshVerifier = JWT.require(algorithm).withIssuer(ISSUER).withClaim("typ", TYPE_REFRESH).build();
        } else {
            this.algorithm = null;
            this.accessVerifier = null;
            this.refreshVerifier = null;
        }
    }

    AuthConfig config() {
        return config;
    }

    /** The caller's identity. */
    record Principal(String name, AuthConfig.Role role) {
    }

    /** Tokens returned by login and refresh. */
    record Tokens(String token, @JsonProperty("refresh_token") String refreshToken, String type,
                  @JsonProperty("expires_at") String expiresAt, String role) {
    }

    /** The principal for an {@code Authorization} header value, or null when missing or not valid. */
    Principal authenticate(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        final String credential = authorization.substring(7).trim();
        final byte[] presented = credential.getBytes(StandardCharsets.UTF_8);
        for (AuthConfig.ApiKey key : config.apiKeys()) {
            // Constant time per key, so response timing does not reveal how much of a key matched.
            if (MessageDigest.isEqual(presented, key.key().getBytes(StandardCharsets.UTF_8))) {
                return new Principal("key:" + key.name(), key.role());
            }
        }
        if (accessVerifier == null) {
            return null;
        }
        try {
            final DecodedJWT jwt = accessVerifier.verify(credential);
            if (isExpired(jwt)) {
                return null;
            }
            return currentPrincipal(jwt);
        } catch (JWTVerificationException e) {
            return null;
        }
    }

    /**
     * @throws AdminException 401 for bad credentials, 403 while locked out, 400 when logins are not configured
     */
    Tokens login(String username, String password) {
        if (algorithm == null || users.isEmpty()) {
            throw new AdminException(400, "login is not configured (no auth.users)");
        }
        final long now = clockMillis.getAsLong();
        final Long locked = lockedUntil.get(username);
        if (locked != null && locked > now) {
            throw new AdminException(403, "account is temporarily locked");
        }
        final AuthConfig.User user = users.get(username);
        // Check a hash even for unknown users, so timing does not tell which names exist.
        final String hash = user != null ? user.passwordHash() : DUMMY_HASH;
        final boolean ok = OpenBSDBCrypt.checkPassword(hash, password.toCharArray()) && user != null;
        if (!ok) {
            final int[] count = failedLogins.computeIfAbsent(username, k -> new int[1]);
            if (++count[0] >= MAX_FAILED_LOGINS) {
                count[0] = 0;
                lockedUntil.put(username, now + LOCKOUT_MILLIS);
            }
            throw new AdminException(401, "invalid credentials");
        }
        failedLogins.remove(username);
        lockedUntil.remove(username);
        return issue(user, now);
    }

    /** Exchanges a refresh token (once) for a new access and refresh token. */
    Tokens refresh(String refreshToken) {
        if (refreshVerifier == null) {
            throw new AdminException(400, "login is not configured (no auth.users)");
        }
        final long now = clockMillis.getAsLong();
        final DecodedJWT jwt;
        try {
            jwt = refreshVerifier.verify(refreshToken);
        } catch (JWTVerificationException e) {
            throw new AdminException(401, "invalid refresh token");
        }
        usedRefreshIds.values().removeIf(expiry -> expiry < now);
        final Principal principal = currentPrincipal(jwt);
        if (principal == null || isExpired(jwt) || jwt.getId() == null || usedRefreshIds.containsKey(jwt.getId())) {
            throw new AdminException(401, "invalid refresh token");
        }
        usedRefreshIds.put(jwt.getId(), jwt.getExpiresAtAsInstant().toEpochMilli());
        return issue(users.get(principal.name()), now);
    }

    private boolean isExpired(DecodedJWT jwt) {
        // The library checks expiry against the wall clock; this checks it against ours too (tests step it).
        final Instant expires = jwt.getExpiresAtAsInstant();
        return expires == null || expires.toEpochMilli() <= clockMillis.getAsLong();
    }

    private Principal currentPrincipal(DecodedJWT jwt) {
        final AuthConfig.User user = users.get(jwt.getSubject());
        if (user == null || !user.role().configName().equals(jwt.getClaim("role").asString())) {
            return null;
        }
        return new Principal(user.username(), user.role());
    }

    private Tokens issue(AuthConfig.User user, long now) {
        final Instant expires = Instant.ofEpochMilli(now + config.accessTtlMillis());
        final String access = JWT.create().withIssuer(ISSUER).withSubject(user.username())
                .withClaim("role", user.role().configName()).withClaim("typ", TYPE_ACCESS)
                .withJWTId(UUID.randomUUID().toString()).withIssuedAt(Instant.ofEpochMilli(now))
                .withExpiresAt(expires).sign(algorithm);
        final String refresh = JWT.create().withIssuer(ISSUER).withSubject(user.username())
                .withClaim("role", user.role().configName()).withClaim("typ", TYPE_REFRESH)
                .withJWTId(UUID.randomUUID().toString()).withIssuedAt(Instant.ofEpochMilli(now))
                .withExpiresAt(Instant.ofEpochMilli(now + config.refreshTtlMillis())).sign(algorithm);
        return new Tokens(access, refresh, "Bearer", expires.toString(), user.role().configName());
    }

    /** A bcrypt hash of {@code password} with a random salt, as {@code fulcrum hash-password} prints it. */
    public static String hashPassword(char[] password, int cost) {
        final byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, cost);
    }

    private static final String DUMMY_HASH = hashPassword("not-a-user".toCharArray(), 10);
}
