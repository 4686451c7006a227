package dev.berth.workspace;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A viewer's session on a workspace's host: the cookie {@value #COOKIE} holds the workspace, the viewer and an
 * expiry, signed with HMAC-SHA256 under a key every replica reads from the database. Checking one costs a MAC and
 * no database read, so it can run on every relayed request. A session names its workspace and is refused on any
 * other, and the cookie itself is host-only ({@code __Host-}): one workspace's page never holds another's.
 *
 * <p>Not revocable one by one before it expires ({@code berth.workspaces.origins.session-ttl}); the right to enter
 * is checked by Berth each time a viewer enters. Deleting the key row ends every workspace session at once.
 */
final class WorkspaceSessions {

    static final String COOKIE = "__Host-berth-ws";

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;
    private volatile SecretKeySpec key;

    /** A checked session: who is in which workspace. */
    record Viewer(UUID workspaceId, String viewerRef) {}

    WorkspaceSessions(JdbcClient jdbc, Clock clock, Duration ttl) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The cookie value of a new session of {@code viewerRef} in workspace {@code workspaceId}. */
    String issue(UUID workspaceId, String viewerRef) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload = ENCODER.encodeToString(
                (workspaceId + "\n" + viewerRef + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The {@code Set-Cookie} header value for a session cookie holding {@code value}. */
    static String setCookie(String value) {
        // __Host-: Secure, Path=/ and no Domain, so no other host (a sibling workspace) can set or shadow it.
        // SameSite=None and Partitioned: it must come back inside the LMS's iframe (CHIPS).
        return COOKIE + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned";
    }

    /** The session in {@code value}, if its signature holds, it has not expired and it is for this workspace. */
    Optional<Viewer> check(String value, UUID workspaceId) {
        if (value == null || value.length() > 1024) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = value.substring(0, dot);
        try {
            byte[] signature = DECODER.decode(value.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(payload))) {
                return Optional.empty();
            }
            String[] parts = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 3 || !parts[0].equals(workspaceId.toString())) {
                return Optional.empty();
            }
            if (Long.parseLong(parts[2]) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(new Viewer(workspaceId, parts[1]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key());
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            // Whichever replica comes first makes the key; every other one reads that one.
            jdbc.sql("""
                            INSERT INTO workspace_session_key (id, secret, created_at) VALUES (1, :secret, :now)
                            ON CONFLICT (id) DO NOTHING
                            """)
                    .param("secret", secret)
                    .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                    .update();
            byte[] stored = jdbc.sql("SELECT secret FROM workspace_session_key WHERE id = 1")
                    .query(byte[].class)
                    .single();
            current = new SecretKeySpec(stored, ALGORITHM);
            key = current;
        }
        return current;
    }
}
